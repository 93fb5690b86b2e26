// What a curator checks about one cluster member before deciding: label, licence, size, quality, why it matched.
import type { ClusterMember } from '../../../src-shared/model';
import { formatBytes, formatLabelState } from '../../components/format';

/** Why the member matched, in words; the fingerprint distance alone when the matcher recorded no explanation. */
export function matchReason(member: ClusterMember, isRepresentative: boolean): string {
  if (isRepresentative) return 'representative of the cluster';
  if (member.linkedVia != null) return `linked via #${member.linkedVia}: you said it is not a duplicate of the representative`;
  const m = member.match;
  if (!m) return `fingerprint distance ${member.distance} (no further explanation recorded)`;
  const agreement = `${m.measure} ${Number.isInteger(m.agreement) ? m.agreement : m.agreement.toFixed(3)}`;
  return `${m.transform}, distance ${m.distance}, ${agreement}${m.detail ? ` — ${m.detail}` : ''}`;
}

export function MemberCard({
  member,
  isRepresentative,
  representativeTaxon,
  testId,
}: {
  member: ClusterMember;
  isRepresentative: boolean;
  representativeTaxon: string | null;
  testId: string;
}) {
  const taxonDiffers = !isRepresentative && member.taxon !== representativeTaxon;
  const file = member.paths[0] ?? '';
  return (
    <dl className={`member-card${isRepresentative ? ' representative' : ''}`} data-testid={testId} data-image-id={member.imageId}>
      <dt>Taxon</dt>
      <dd className={taxonDiffers ? 'warn' : ''} data-field="taxon">
        <i>{member.taxon ?? 'no taxon'}</i>
        {taxonDiffers ? <span className="warn-text"> differs from the representative</span> : null}
      </dd>
      <dt>Label</dt>
      <dd data-field="label-state">{formatLabelState(member.labelState)}</dd>
      <dt>Licence</dt>
      <dd data-field="license" className={member.license ? '' : 'warn'}>
        {member.license ?? 'missing'}
      </dd>
      <dt>Size</dt>
      <dd data-field="dimensions">
        {member.width}×{member.height} · {formatBytes(member.fileSize)}
      </dd>
      <dt>Quality</dt>
      <dd data-field="quality">{Math.round(member.quality)}</dd>
      <dt>Match</dt>
      <dd data-field="match">{matchReason(member, isRepresentative)}</dd>
      <dt>File</dt>
      <dd className="wrap" title={member.paths.join('\n')}>
        {file}
        {member.paths.length > 1 ? ` (+${member.paths.length - 1} more)` : ''}
      </dd>
      {member.decision === 'keep' ? (
        <>
          <dt>Decision</dt>
          <dd>kept as a separate training image</dd>
        </>
      ) : null}
    </dl>
  );
}
