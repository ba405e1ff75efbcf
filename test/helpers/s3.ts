// A local S3-compatible server (s3rver) on a random loopback port, keeping its objects in a temporary
// directory, so storage tests run without any network or account.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import type { StorageConfig } from '../../src/config.js';

export interface TestS3 {
  config: Extract<StorageConfig, { kind: 's3' }>;
  /** Where the server keeps objects (to search them in tests). */
  dir: string;
  close(): Promise<void>;
}

export async function startS3Server(): Promise<TestS3> {
  // The SDK's notice that its releases after January 2027 need Node 22 is for operators, not tests.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nazaha-s3-'));
  const bucket = 'nazaha-test';
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  return {
    // s3rver accepts these fixed credentials only.
    config: { kind: 's3', endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', bucket, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true },
    dir,
    async close() {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
