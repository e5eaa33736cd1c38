// A labelled input, and the API's error beside it when the API named its field (aria-invalid,
// aria-describedby), so every form shows bad input the same way.
import { Alert } from './layout';

export interface FieldError {
  field: string | null;
  problem: string | null;
}

export function TextField(props: {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  type?: string;
  autoComplete?: string;
  inputMode?: 'numeric' | 'email' | 'text';
  /** The API's field this input answers for (default: its id). */
  name?: string;
  error?: FieldError;
}) {
  const bad = props.error && props.error.field === (props.name ?? props.id) && props.error.problem;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type={props.type ?? 'text'}
        autoComplete={props.autoComplete ?? 'off'}
        inputMode={props.inputMode}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        aria-invalid={bad ? true : undefined}
        aria-describedby={bad ? `${props.id}-error` : undefined}
      />
      {bad ? (
        <p class="field-error" id={`${props.id}-error`}>
          {props.error?.problem}
        </p>
      ) : null}
    </div>
  );
}

/** The form-wide message, unless it already stands beside one of `fields`. */
export function FormProblem(props: { error: FieldError; fields?: string[] }) {
  const { problem, field } = props.error;
  if (!problem || (field && (props.fields ?? []).includes(field))) return null;
  return <Alert>{problem}</Alert>;
}
