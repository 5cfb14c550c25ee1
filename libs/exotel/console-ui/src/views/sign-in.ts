import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { ConsoleApi } from '../api';

/** The sign-in form: a management API key, sent once in the body; the server sets the session cookie. */
export function SignIn({ api, signedIn }: { api: ConsoleApi; signedIn: () => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = (e: Event) => {
    e.preventDefault();
    setBusy(true);
    api
      .signIn(key)
      .then(() => {
        setKey('');
        signedIn();
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
      .finally(() => setBusy(false));
  };
  return html`<main class="sign-in">
    <h1>Exotel operations console</h1>
    <form onSubmit=${submit} aria-describedby=${error ? 'sign-in-error' : undefined}>
      <label for="key">Management API key</label>
      <input
        id="key"
        name="key"
        type="password"
        autocomplete="current-password"
        required
        value=${key}
        onInput=${(e: Event) => setKey((e.target as HTMLInputElement).value)}
      />
      <button type="submit" disabled=${busy}>Sign in</button>
      ${error ? html`<p id="sign-in-error" role="alert" class="error">${error}</p>` : null}
    </form>
  </main>`;
}
