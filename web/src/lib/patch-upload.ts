import { csrfToken, detailOf } from './api/client';

export const PATCH_EXTENSIONS = ['ips', 'ups', 'bps', 'ppf', 'rup', 'aps', 'bdf', 'pmsr', 'vcdiff', 'xdelta'];

export function isPatchFile(name: string): boolean {
  const ext = name.split('.').pop()?.toLowerCase() ?? '';
  return PATCH_EXTENSIONS.includes(ext);
}

export interface PatchResult {
  blob: Blob;
  fileName: string;
  validated: boolean;
}

/** File name from a Content-Disposition header (RFC 5987 `filename*` first). */
export function dispositionName(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = /filename="([^"]+)"/i.exec(header);
  return plain?.[1] ? decodeURIComponent(plain[1]) : fallback;
}

/**
 * POST /api/roms/{file_id}/patch with upload and download progress (XHR: fetch reports neither);
 * resolves with the patched bytes and whether the patch's own checksum matched the ROM.
 */
export function applyPatch(fileId: number, form: FormData, onProgress: (phase: 'upload' | 'download', fraction: number) => void): Promise<PatchResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/roms/${fileId}/patch`);
    xhr.responseType = 'blob';
    xhr.setRequestHeader('x-csrftoken', csrfToken());
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress('upload', e.loaded / e.total);
    xhr.onprogress = (e) => e.lengthComputable && onProgress('download', e.loaded / e.total);
    xhr.onerror = () => reject(new Error('Network error while patching'));
    xhr.onload = async () => {
      const blob = xhr.response as Blob;
      if (xhr.status !== 200) {
        const text = await blob.text();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          /* plain-text error */
        }
        reject(new Error(detailOf(body, text || `Patching failed (${xhr.status})`)));
        return;
      }
      resolve({
        blob,
        fileName: dispositionName(xhr.getResponseHeader('content-disposition'), 'patched.bin'),
        validated: xhr.getResponseHeader('x-patch-validated') === 'true',
      });
    };
    xhr.send(form);
  });
}
