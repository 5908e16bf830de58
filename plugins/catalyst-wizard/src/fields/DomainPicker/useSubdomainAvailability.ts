import { useEffect, useState } from 'react';
import type { CatalystApi } from '../../api';
import type { DomainValue } from '../wizardForm';
import {
  availabilityMessage,
  domainFqdn,
  subdomainFormatError,
} from './validation';

const DEBOUNCE_MS = 400;

export type Availability =
  | { state: 'idle' | 'invalid' | 'checking' }
  | { state: 'available' }
  | { state: 'taken' | 'error'; message: string };

/** Asks PDM whether the typed pool subdomain is free, debounced so typing does not flood it. */
export function useSubdomainAvailability(
  catalystApi: CatalystApi,
  value: DomainValue,
): Availability {
  const [availability, setAvailability] = useState<Availability>({
    state: 'idle',
  });
  useEffect(() => {
    if (value.mode !== 'pool' || !value.poolDomain) return undefined;
    if (!value.subdomain || subdomainFormatError(value.subdomain)) {
      setAvailability({ state: value.subdomain ? 'invalid' : 'idle' });
      return undefined;
    }
    setAvailability({ state: 'checking' });
    const controller = new AbortController();
    const timer = setTimeout(() => {
      catalystApi
        .checkSubdomain(value.poolDomain, value.subdomain, controller.signal)
        .then(result => {
          if (controller.signal.aborted) return;
          const message = availabilityMessage(domainFqdn(value), result);
          if (!message) setAvailability({ state: 'available' });
          else
            setAvailability({
              state: result.reason === 'pdm-unavailable' ? 'error' : 'taken',
              message,
            });
        })
        .catch(e => {
          if (!controller.signal.aborted) {
            setAvailability({
              state: 'error',
              message: `Could not check availability: ${e.message}`,
            });
          }
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalystApi, value.mode, value.poolDomain, value.subdomain]);
  return availability;
}

/** The line under the subdomain box: the format rule, the check in progress, or PDM's answer. */
export function availabilityText(
  availability: Availability,
  fqdn: string,
): string {
  switch (availability.state) {
    case 'checking':
      return 'Checking availability…';
    case 'available':
      return `✓ ${fqdn} is available`;
    case 'taken':
    case 'error':
      return availability.message;
    default:
      return 'Lower-case letters, digits and hyphens; starts with a letter';
  }
}
