// The reference: a minimal Node socket.io server, the stack users would pick instead.
// Any auth is accepted; every socket joins rooms "investors" and "users". Several processes share Redis
// through @socket.io/redis-adapter, as the Python workers do through python-socketio's RedisManager.
//
//   PORT=9001 REDIS_URL=redis://127.0.0.1:6379/0 CHANNEL=bench node server.js
//
// POST /list with a JSON body {invoice: {...}} does the same fan-out as a listing in invoiceapp
// (as the app does): newInvoiceListed {event_id, occurred_at, invoice} to room "investors", then
// invoiceUpdated {event_id, occurred_at, invoice} to room "users", on every process; it answers
// 201 {invoice}.
"use strict";
const http = require("http");
const crypto = require("crypto");
const { Server } = require("socket.io");
const { createAdapter } = require("@socket.io/redis-adapter");
const { createClient } = require("redis");

const port = Number(process.env.PORT || 9001);
const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379/0";
const channel = process.env.CHANNEL || "socket.io-bench";

async function main() {
  const pub = createClient({ url: redisUrl });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);

  const server = http.createServer((req, res) => {
    if (req.method === "GET" && req.url === "/health") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ status: "ok", sockets: io.engine.clientsCount }));
      return;
    }
    if (req.method === "POST" && req.url === "/list") {
      const chunks = [];
      req.on("data", (chunk) => chunks.push(chunk));
      req.on("end", () => {
        let body;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch (err) {
          res.writeHead(422, { "Content-Type": "application/json" });
          res.end(JSON.stringify({ error: { code: "validation_error", message: "bad JSON" } }));
          return;
        }
        io.to("investors").emit("newInvoiceListed", {
          event_id: crypto.randomUUID(), occurred_at: new Date().toISOString(), invoice: body.invoice,
        });
        io.to("users").emit("invoiceUpdated", {
          event_id: crypto.randomUUID(), occurred_at: new Date().toISOString(), invoice: body.invoice,
        });
        res.writeHead(201, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ invoice: body.invoice }));
      });
      return;
    }
    // Leave /socket.io/ to the engine; anything else is a 404.
    if (!req.url.startsWith("/socket.io/")) {
      res.writeHead(404);
      res.end();
    }
  });

  const io = new Server(server, {
    adapter: createAdapter(pub, sub, { key: channel }),
    cors: { origin: false },
  });
  io.on("connection", (socket) => socket.join(["investors", "users"]));

  server.listen(port, "127.0.0.1", () => console.log(`peer listening on ${port}`));
  const stop = () => { io.close(); pub.quit().catch(() => {}); sub.quit().catch(() => {}); process.exit(0); };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((err) => { console.error(err); process.exit(1); });
