/**
 * The one place secrets are removed from text leaving the process: every log line (the logger's
 * last step before any transport), `/healthz` bodies and chat warnings pass through a
 * {@link SecretRedactor}. It removes the configured secrets wherever they appear (nested error
 * messages, stack traces, serialised axios and grammY errors, URLs) and, whatever is configured,
 * anything shaped like a bot token in a Bot API URL or a request signature.
 */

/** `/bot<id>:<token>/` in a Bot API URL. */
const BOT_URL = /\/bot\d+:[A-Za-z0-9_-]+/g;
/** A bot token on its own (digits, colon, at least 20 token characters). */
const BOT_TOKEN = /\b\d{5,}:[A-Za-z0-9_-]{20,}/g;
/** A MEXC request signature (hex HMAC) in a query string or a body. */
const SIGNATURE = /(signature=)[0-9a-fA-F]{16,}/gi;

/** Shown in place of a secret. */
export const REDACTED = '[redacted]';

/** Removes known secrets and secret-shaped strings from text; see the module comment. */
export class SecretRedactor {
  readonly #secrets = new Set<string>();

  constructor(secrets: readonly (string | undefined)[] = []) {
    this.add(...secrets);
  }

  /** Adds secrets to remove (short values are ignored: they would blank ordinary words). */
  add(...secrets: readonly (string | undefined)[]): void {
    for (const secret of secrets) if (secret && secret.length >= 8) this.#secrets.add(secret);
  }

  /** `text` with every secret replaced by {@link REDACTED}. */
  redact(text: string): string {
    let out = text
      .replace(BOT_URL, `/bot${REDACTED}`)
      .replace(BOT_TOKEN, REDACTED)
      .replace(SIGNATURE, `$1${REDACTED}`);
    for (const secret of this.#secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }
}
