/** Camera access: open a stream (rear camera by default), list cameras, explain failures. */

export type Facing = 'environment' | 'user';

export async function openCamera(facing: Facing, deviceId?: string): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia)
    throw new DOMException('no camera API', 'NotFoundError');
  const video: MediaTrackConstraints = {
    width: { ideal: 1920 },
    height: { ideal: 1080 },
    ...(deviceId ? { deviceId: { exact: deviceId } } : { facingMode: { ideal: facing } }),
  };
  return navigator.mediaDevices.getUserMedia({ video, audio: false });
}

export async function videoInputs(): Promise<MediaDeviceInfo[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.filter((d) => d.kind === 'videoinput');
}

export function stopStream(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

export type CameraProblem = 'denied' | 'none' | 'busy' | 'other';

/** Sorts getUserMedia's DOMException names into what we tell the person. */
export function cameraProblem(error: unknown): CameraProblem {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'none';
    case 'NotReadableError':
    case 'AbortError':
      return 'busy';
    default:
      return 'other';
  }
}

export const CAMERA_MESSAGES: Record<CameraProblem, string> = {
  denied:
    'Camera access was refused. You can allow it in your browser’s site settings, or choose ' +
    'a photo file instead.',
  none: 'No camera was found on this device. Choose a photo file instead.',
  busy: 'The camera is in use by another app. Close it and try again, or choose a photo file.',
  other: 'The camera could not be started. Choose a photo file instead.',
};
