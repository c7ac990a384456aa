interface Props {
  checked: boolean;
  /** The id of the element that names the switch. */
  labelledBy: string;
  describedBy?: string;
  disabled?: boolean;
  onToggle(): void;
}

/** An on/off switch (a button with role="switch"). */
export function Switch({ checked, labelledBy, describedBy, disabled, onToggle }: Props) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      className="switch"
      onClick={onToggle}
      disabled={disabled}
    >
      <span className="switch__thumb" aria-hidden="true" />
    </button>
  );
}
