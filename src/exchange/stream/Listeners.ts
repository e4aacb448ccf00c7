/**
 * A set of callbacks for one kind of stream event. A callback that throws is reported to
 * `onError` and the others still run: one faulty consumer must not stop the stream or starve
 * its neighbours.
 */
export class Listeners<T> {
  readonly #fns = new Set<(value: T) => void>();
  readonly #onError: (error: unknown) => void;

  constructor(onError: (error: unknown) => void) {
    this.#onError = onError;
  }

  /** Registers `fn`; returns the function that unregisters it. */
  add(fn: (value: T) => void): () => void {
    const own = (value: T): void => fn(value);
    this.#fns.add(own);
    return () => {
      this.#fns.delete(own);
    };
  }

  /** Calls every callback with `value`. */
  emit(value: T): void {
    for (const fn of this.#fns) {
      try {
        fn(value);
      } catch (error) {
        this.#onError(error);
      }
    }
  }
}
