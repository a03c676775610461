import { Injectable } from '@nestjs/common';
import { LIMITS, parseWith } from '@hostwatch/protocol';
import { IssuedTokenService } from '../ingest/issued-token.service';
import { AgentReleaseService } from '../install/agent-release.service';
import type { RequestOrigin } from '../install/hub-url';
import { MAX_TOKEN_NOTE, addHostFormSchema } from './add-host.form';
import { InstallLineService } from './install-line.service';

export interface AddHostFormView {
  title: string;
  /** Why the last post was refused; empty on a fresh form. */
  error: string;
  hostId: string;
  note: string;
  maxHostIdLength: number;
  maxNoteLength: number;
  /** Why machines cannot install from this hub yet; empty when its release is built. */
  releaseMissing: string;
}

export interface HostAddedView {
  title: string;
  hostId: string;
  note: string;
  /** The one line to run on the machine, token included. */
  command: string;
  /** Shown on this page only: the hub keeps a hash of it. */
  token: string;
  /** Where the hub serves TLS: the CA file the line expects on the machine. */
  caFile: string;
  releaseMissing: string;
}

export type AddHostResult = { ok: true; view: 'host-added'; model: HostAddedView } | { ok: false; view: 'add-host'; model: AddHostFormView };

/** The dashboard's Add a host: a per-host token and the one line that installs the agent with it. */
@Injectable()
export class AddHostService {
  constructor(
    private readonly tokens: IssuedTokenService,
    private readonly release: AgentReleaseService,
    private readonly lines: InstallLineService,
  ) {}

  form(): AddHostFormView {
    return this.formView('', '', '');
  }

  /** Issues a token tied to the posted host id; a bad form comes back with its values and what is wrong. */
  add(body: unknown, origin: RequestOrigin): AddHostResult {
    const parsed = parseWith(addHostFormSchema, body);
    if (!parsed.ok) {
      const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
      const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 1000) : '');
      return { ok: false, view: 'add-host', model: this.formView(text(fields['hostId']), text(fields['note']), `Not added: ${parsed.message}.`) };
    }
    const { hostId, note } = parsed.data;
    const { token } = this.tokens.issue({ hostId, note });
    return {
      ok: true,
      view: 'host-added',
      model: {
        title: 'Host added',
        hostId,
        note: note ?? '',
        command: this.lines.install(origin, hostId, token),
        token,
        caFile: this.lines.caFile(),
        releaseMissing: this.releaseMissing(),
      },
    };
  }

  private releaseMissing(): string {
    const manifest = this.release.manifest();
    return manifest.ok ? '' : manifest.message;
  }

  private formView(hostId: string, note: string, error: string): AddHostFormView {
    return {
      title: 'Add a host',
      error,
      hostId,
      note,
      maxHostIdLength: LIMITS.hostIdLength,
      maxNoteLength: MAX_TOKEN_NOTE,
      releaseMissing: this.releaseMissing(),
    };
  }
}
