// Load client for bench/fanout.py and bench/connections.py: one process holding many
// socket.io-client sockets on one event loop, driven over stdin/stdout (one JSON object a line).
//
//   node client.js '{"urls": ["http://127.0.0.1:9001"], "count": 500, "start": 0,
//                    "token": "...", "concurrency": 100, "event": "newInvoiceListed"}'
//
// Socket g (= start + i) connects to urls[g % urls.length], over WebSocket only, with
// auth {token}. When every socket has connected or failed it prints {"type": "ready", ...}.
// For each `event` whose payload has invoice.id, it records the arrival time per socket
// (process.hrtime: CLOCK_MONOTONIC, the clock of Python's time.monotonic_ns()).
// stdin commands: "count <id>" prints {"type": "count", "n": sockets that got it};
// "report" prints {"type": "report", "arrivals": {id: [ns or 0 per socket]}};
// "close" disconnects everything and exits.
"use strict";
const { io } = require("socket.io-client");
const readline = require("readline");

const cfg = JSON.parse(process.argv[2]);
const count = cfg.count;
const concurrency = cfg.concurrency || 100;
const eventName = cfg.event || "newInvoiceListed";
const sockets = new Array(count);
const arrivals = new Map(); // invoice id -> Float64Array(count), 0 = not arrived
let connected = 0, failed = 0, disconnected = 0, next = 0, inFlight = 0, unknownPayloads = 0;
const errors = {};
const t0 = Date.now();

function send(obj) { process.stdout.write(JSON.stringify(obj) + "\n"); }

function record(i, data) {
  const at = Number(process.hrtime.bigint());
  const id = data && data.invoice && data.invoice.id;
  if (id === undefined) { unknownPayloads++; return; }
  let row = arrivals.get(id);
  if (!row) { row = new Float64Array(count); arrivals.set(id, row); }
  if (row[i] === 0) row[i] = at;
}

function settle() {
  inFlight--;
  if (next < count) open();
  else if (inFlight === 0) {
    send({ type: "ready", connected, failed, errors, connect_ms: Date.now() - t0 });
  }
}

function open() {
  const i = next++;
  inFlight++;
  const g = cfg.start + i;
  const options = {
    transports: ["websocket"], forceNew: true, reconnection: false,
    auth: { token: cfg.token }, timeout: 60000,
  };
  // Like a browser, the client offers permessage-deflate (socket.io-client's default), unless
  // told not to ("deflate": false).
  if (cfg.deflate === false) options.perMessageDeflate = false;
  const socket = io(cfg.urls[g % cfg.urls.length], options);
  sockets[i] = socket;
  let settled = false;
  socket.on(eventName, (data) => record(i, data));
  socket.on("connect", () => { if (!settled) { settled = true; connected++; settle(); } });
  socket.on("connect_error", (err) => {
    if (!settled) {
      settled = true; failed++;
      const key = String(err && err.message);
      errors[key] = (errors[key] || 0) + 1;
      settle();
    }
  });
  socket.on("disconnect", () => { disconnected++; });
}

for (let n = 0; n < Math.min(concurrency, count); n++) open();
if (count === 0) send({ type: "ready", connected: 0, failed: 0, errors, connect_ms: 0 });

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const command = line.trim();
  if (command === "report") {
    const out = {};
    for (const [id, row] of arrivals) out[id] = Array.from(row);
    const open = sockets.filter((s) => s && s.connected).length;
    send({ type: "report", arrivals: out, open, disconnected, unknown_payloads: unknownPayloads });
  } else if (command.startsWith("count ")) {
    const id = Number(command.slice(6));
    const row = arrivals.get(id);
    let n = 0;
    if (row) for (let i = 0; i < count; i++) if (row[i] !== 0) n++;
    send({ type: "count", id, n });
  } else if (command === "close") {
    for (const s of sockets) if (s) s.close();
    setTimeout(() => process.exit(0), 200);
  }
});
process.stdin.on("end", () => process.exit(0));
