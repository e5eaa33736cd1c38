// A secret typed once (a provider's key or channel secret): never shown back, never filled in by
// the browser.
export function SecretField(props: {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  invalid: boolean;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="password"
        autoComplete="off"
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        aria-invalid={props.invalid ? true : undefined}
      />
    </div>
  );
}
