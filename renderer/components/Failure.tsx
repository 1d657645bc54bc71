/** A failure in words, announced to screen readers; nothing when there is none. */
export function Failure({ text }: { text: string }): React.JSX.Element | null {
  return text ? (
    <p className="error" role="alert">
      {text}
    </p>
  ) : null;
}
