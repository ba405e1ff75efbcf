// Where attachment blobs live: local disk under DATA_DIR (one machine) or an S3-compatible object
// store (several app nodes).
import type { StorageConfig } from '../config.js';
import type { BlobStorage } from './blob.js';
import { DiskStorage } from './disk.js';
import { S3Storage } from './s3.js';

export { assertValidKey, assertValidPrefix, BlobNotFoundError, type BlobStorage, InvalidKeyError } from './blob.js';

export function createStorage(config: StorageConfig): BlobStorage {
  return config.kind === 's3' ? new S3Storage(config) : new DiskStorage(config.dir);
}
