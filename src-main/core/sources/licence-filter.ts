// Whether a candidate's licence may be fetched: the allow-list decides (by family or exact id), so an
// unrecognised licence passes only when the user's list names UNKNOWN explicitly.
import { isLicenseAllowed } from '../../../src-shared/licenses';

export function allowedLicense(licenseId: string, allowList: readonly string[]): boolean {
  return isLicenseAllowed(licenseId, allowList);
}
