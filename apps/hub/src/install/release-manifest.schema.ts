import { z } from 'zod';

/** A file name alone, as the release directory holds it: no separator, no leading dot, so never a path out of it. */
const RELEASE_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export const releaseArtifactSchema = z.object({
  file: z.string().max(200).regex(RELEASE_FILE_NAME, 'must be a plain file name'),
  kind: z.enum(['bundle', 'executable']),
  arch: z.string().min(1).max(32),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits'),
  bytes: z.number().int().nonnegative(),
});

/** `manifest.json` of the agent's release directory, as its build writes it and install scripts read it. */
export const releaseManifestSchema = z.object({
  version: z.string().min(1).max(64),
  artifacts: z.array(releaseArtifactSchema),
});

export type ReleaseArtifact = z.infer<typeof releaseArtifactSchema>;
export type ReleaseManifest = z.infer<typeof releaseManifestSchema>;
