// The Duplicates view's action table: every decision and view toggle once, for its key and its button alike.
import type { DuplicateDecision } from '../../../src-shared/api/duplicates';
import type { ClusterMember, DuplicateCluster } from '../../../src-shared/model';
import type { Action } from '../../app/actions';
import type { LoupeMode, LoupeZoom } from '../../components/synced-loupe';

export interface DuplicatesContext {
  cluster: DuplicateCluster | null;
  /** The member compared with the representative (never the representative itself). */
  member: ClusterMember | null;
  /** Decisions need stored clusters: a threshold preview is look-only. */
  canDecide: boolean;
  busy: boolean;
  pickerOpen: boolean;
  zoom: LoupeZoom;
  mode: LoupeMode;
  decide: (decision: DuplicateDecision) => void;
  /** Moves the member cursor by `step` through the non-representative members. */
  moveMember: (step: number) => void;
  /** Leaves the cluster under review (after Done or Skip) for the next one. */
  nextCluster: (resolved: boolean) => void;
  setPickerOpen: (open: boolean) => void;
  setZoom: (zoom: LoupeZoom) => void;
  setMode: (mode: LoupeMode) => void;
}

const reviewing = (c: DuplicatesContext) => c.cluster !== null && !c.pickerOpen;
const onMember = (c: DuplicatesContext) => reviewing(c) && c.canDecide && !c.busy && c.member !== null;

export const DUPLICATE_ACTIONS: readonly Action<DuplicatesContext>[] = [
  {
    id: 'previous-member',
    label: 'Previous',
    keys: ['arrowleft'],
    enabled: reviewing,
    perform: (c) => c.moveMember(-1),
  },
  {
    id: 'next-member',
    label: 'Next',
    keys: ['arrowright'],
    enabled: reviewing,
    perform: (c) => c.moveMember(1),
  },
  {
    id: 'keep',
    label: 'Keep both',
    keys: ['k'],
    enabled: onMember,
    perform: (c) => c.decide({ action: 'keep', imageId: c.member!.imageId }),
  },
  {
    id: 'not-duplicate',
    label: 'Not a duplicate',
    keys: ['n'],
    enabled: onMember,
    perform: (c) => c.decide({ action: 'not_duplicate', imageA: c.cluster!.representative, imageB: c.member!.imageId }),
  },
  {
    id: 'make-representative',
    label: 'Make representative',
    keys: ['r'],
    enabled: onMember,
    perform: (c) => c.decide({ action: 'set_representative', imageId: c.member!.imageId }),
  },
  {
    id: 'merge',
    label: 'Merge with…',
    keys: ['m'],
    enabled: (c) => reviewing(c) && c.canDecide && !c.busy,
    perform: (c) => c.setPickerOpen(true),
  },
  {
    id: 'close-picker',
    label: 'Close',
    keys: ['escape'],
    enabled: (c) => c.pickerOpen,
    perform: (c) => c.setPickerOpen(false),
  },
  {
    id: 'zoom',
    label: '100 %',
    keys: ['z'],
    enabled: reviewing,
    perform: (c) => c.setZoom(c.zoom === 'fit' ? 'actual' : 'fit'),
  },
  {
    id: 'flicker',
    label: 'Flicker',
    keys: ['f'],
    enabled: (c) => reviewing(c) && c.member !== null,
    perform: (c) => c.setMode(c.mode === 'flicker' ? 'side' : 'flicker'),
  },
  {
    id: 'difference',
    label: 'Difference',
    keys: ['x'],
    enabled: (c) => reviewing(c) && c.member !== null,
    perform: (c) => c.setMode(c.mode === 'difference' ? 'side' : 'difference'),
  },
  {
    id: 'skip',
    label: 'Skip for now',
    keys: ['s'],
    enabled: reviewing,
    perform: (c) => c.nextCluster(false),
  },
  {
    id: 'done',
    label: 'Done with this cluster',
    keys: ['enter'],
    enabled: (c) => reviewing(c) && c.canDecide && !c.busy,
    perform: (c) => {
      c.decide({ action: 'resolve', imageId: c.cluster!.representative });
      c.nextCluster(true);
    },
  },
];

export function actionById(id: string): Action<DuplicatesContext> {
  const action = DUPLICATE_ACTIONS.find((a) => a.id === id);
  if (!action) throw new Error(`no duplicates action "${id}"`);
  return action;
}
