import type { SubmitFunction } from '@sveltejs/kit';

/**
 * A `use:enhance` callback that marks the form busy while it is sent, so a slow link cannot turn one tap
 * into two submissions (the button is disabled meanwhile).
 */
export function whilePending(setPending: (pending: boolean) => void): SubmitFunction {
  return () => {
    setPending(true);
    return async ({ update }) => {
      try {
        await update();
      } finally {
        setPending(false);
      }
    };
  };
}
