// A secret the server shows once (a set-up link, a token, a signing key, a feed address): what
// it is for and the value to copy.
export function ShownOnce(props: { intro: string; value: string | null; testId: string }) {
  if (!props.value) return null;
  return (
    <div class="card" role="status">
      <p>{props.intro}</p>
      <p>
        <code class="secret" data-testid={props.testId}>
          {props.value}
        </code>
      </p>
    </div>
  );
}
