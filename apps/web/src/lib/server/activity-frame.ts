/**
 * How a player frames an external activity (the learner's lesson page and the trainer's preview alike):
 * one served by this site gets an opaque origin (no allow-same-origin), so its scripts cannot use the
 * viewer's session; one on its own origin may keep that origin, which is not ours. Either way it reaches
 * the LRS only with its launch token.
 */
export function activityFrame(launchUrl: string, origin: string): { src: string; sandbox: string } {
  const target = new URL(launchUrl);
  const local = target.origin === origin;
  return {
    src: local ? target.pathname + target.search : target.href,
    sandbox: local ? 'allow-scripts allow-forms' : 'allow-scripts allow-forms allow-same-origin allow-popups',
  };
}
