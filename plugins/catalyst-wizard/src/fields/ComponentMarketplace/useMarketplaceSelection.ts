import { useEffect, useMemo, useRef, useState } from 'react';
import {
  addComponent,
  alwaysIncludedComponents,
  closeSelection,
  defaultSelection,
  installationProblem,
  normalizeComponentIds,
  removeComponent,
  type Component,
  type ComponentCatalog,
} from '@catalyst/plugin-catalyst-common';
import { names } from './catalogText';

export type Notice = {
  severity: 'success' | 'info' | 'warning';
  text: string;
};
/** Why a component entered the selection: a dependency of one component, or the suite of its family. */
export type AddedReason = { kind: 'dependency' | 'family'; via: string };

const NOTICE_MS = 2500;

/**
 * The marketplace's selection rules in one place: the first visit seeds the defaults, a draft is cleaned of what
 * cannot be installed, adding follows dependencies and the suite rule, and each change leaves a short notice.
 */
export function useMarketplaceSelection(
  catalog: ComponentCatalog | undefined,
  formData: string[] | undefined,
  onChange: (selection: string[]) => void,
) {
  const [addedFor, setAddedFor] = useState<Record<string, AddedReason>>({});
  const [notice, setNotice] = useState<Notice | undefined>();
  const [refusal, setRefusal] = useState<string | undefined>();
  const timer = useRef<ReturnType<typeof setTimeout>>();

  // First visit seeds the default selection; a draft from an older wizard is cleaned and closed.
  useEffect(() => {
    if (!catalog) return;
    if (!formData || formData.length === 0) {
      onChange(defaultSelection(catalog));
      return;
    }
    // A draft from before a component lost (or never had) its Blueprint: what cannot be installed is dropped.
    const cleaned = closeSelection(
      catalog,
      normalizeComponentIds(catalog, formData).filter(
        id => !installationProblem(catalog, id),
      ),
    );
    if (cleaned.join(',') !== [...formData].sort().join(',')) {
      onChange(cleaned);
    }
  }, [catalog, formData, onChange]);

  useEffect(() => () => clearTimeout(timer.current), []);

  const always = useMemo(
    () => (catalog ? alwaysIncludedComponents(catalog) : []),
    [catalog],
  );
  const selection = formData ?? [];

  const showNotice = (next: Notice) => {
    setNotice(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setNotice(undefined), NOTICE_MS);
  };

  const applyAdd = (result: ReturnType<typeof addComponent>, what: string) => {
    if (!catalog) return;
    const refused = result.skipped.find(s => s.reason === 'selected');
    if (refused && result.added.length === 0) {
      setRefusal(refused.problem);
      return;
    }
    setRefusal(undefined);
    const nextFor = { ...addedFor };
    for (const a of result.added) {
      if (a.reason === 'family') {
        const family = catalog.components.find(c => c.id === a.id)?.family;
        nextFor[a.id] = { kind: 'family', via: family ?? '' };
      } else if (a.reason === 'dependency' && a.via) {
        nextFor[a.id] = { kind: 'dependency', via: a.via };
      }
    }
    setAddedFor(nextFor);
    onChange(result.selection);
    const extra = result.added.filter(a => a.reason !== 'selected');
    const pulledFamilies = [
      ...new Set(
        result.added
          .filter(a => a.reason === 'family')
          .map(a => catalog.components.find(c => c.id === a.id)?.family)
          .filter((f): f is string => !!f),
      ),
    ].map(f => catalog.families.find(x => x.id === f)?.name ?? f);
    const alsoAdded = extra.length
      ? `; also added ${names(
          catalog,
          extra.map(a => a.id),
        )}`
      : '';
    const familyNote = pulledFamilies.length
      ? ` (the ${pulledFamilies.join(', ')} suite)`
      : '';
    const leftOut = result.skipped.length
      ? `. Left out, not installable yet: ${names(
          catalog,
          result.skipped.map(x => x.id),
        )}`
      : '';
    showNotice({
      severity: result.skipped.length ? 'warning' : 'success',
      text: `Added ${what}${alsoAdded}${familyNote}${leftOut}`,
    });
  };

  const applyRemove = (
    result: ReturnType<typeof removeComponent>,
    what: string,
  ) => {
    if ('refused' in result) {
      setRefusal(result.reason);
      return;
    }
    setRefusal(undefined);
    const nextFor = { ...addedFor };
    for (const id of result.removed) delete nextFor[id];
    setAddedFor(nextFor);
    onChange(result.selection);
    showNotice({ severity: 'info', text: `Removed ${what}` });
  };

  const toggle = (c: Component) => {
    if (!catalog) return;
    const selected = selection.includes(c.id);
    const problem = installationProblem(catalog, c.id);
    if (problem && !selected) {
      setRefusal(problem);
      return;
    }
    if (always.includes(c.id)) {
      showNotice({ severity: 'info', text: `${c.name} is always installed` });
      return;
    }
    if (selected) {
      applyRemove(removeComponent(catalog, selection, c.id), c.name);
    } else {
      applyAdd(addComponent(catalog, selection, c.id), c.name);
    }
  };

  const reset = () => {
    if (!catalog) return;
    setAddedFor({});
    setRefusal(undefined);
    onChange(defaultSelection(catalog));
    showNotice({ severity: 'info', text: 'Restored the defaults' });
  };

  return {
    selection,
    always,
    addedFor,
    notice,
    refusal,
    dismissRefusal: () => setRefusal(undefined),
    applyAdd,
    applyRemove,
    toggle,
    reset,
  };
}
