// Blobs in an S3-compatible object store (Amazon S3, MinIO, Ceph, Garage, a cloud provider's),
// shared by every app node. Streams are sent as multipart uploads, so memory stays at about one
// part whatever the size.
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client, S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { StorageConfig } from '../config.js';
import { assertValidKey, assertValidPrefix, BlobNotFoundError, type BlobStorage } from './blob.js';

const PART_SIZE = 5 * 1024 * 1024; // S3's smallest part size
const notFound = (err: unknown) => err instanceof S3ServiceException && (err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata.httpStatusCode === 404);

export class S3Storage implements BlobStorage {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(config: Extract<StorageConfig, { kind: 's3' }>) {
    this.bucket = config.bucket;
    this.client = new S3Client({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      forcePathStyle: config.forcePathStyle,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
      // Checksums only where S3 requires them: many S3-compatible servers reject the SDK's default
      // streaming checksum trailers, and the blobs authenticate themselves (secretstream) anyway.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, stream: Readable): Promise<{ size: number }> {
    assertValidKey(key);
    let size = 0;
    const body = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        done(null, chunk);
      },
    });
    // The SDK reports a failed upload with its own error (or with the failure of its abort); keep
    // the source's, which says why (e.g. a size limit).
    let sourceError: unknown;
    stream.once('error', (err) => {
      sourceError = err;
    });
    // Failures surface through the upload (the body is destroyed with the source's error).
    const piped = pipeline(stream, body).catch(() => {});
    const upload = new Upload({ client: this.client, params: { Bucket: this.bucket, Key: key, Body: body }, partSize: PART_SIZE, queueSize: 1 });
    try {
      await upload.done();
    } catch (err) {
      stream.destroy();
      await piped;
      throw sourceError ?? stream.errored ?? err;
    }
    await piped;
    if (sourceError) throw sourceError;
    return { size };
  }

  async get(key: string): Promise<Readable> {
    assertValidKey(key);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return out.Body as Readable;
    } catch (err) {
      if (notFound(err)) throw new BlobNotFoundError(key);
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async deletePrefix(prefix: string): Promise<void> {
    assertValidPrefix(prefix);
    // Page by page: a listing returns at most 1000 keys, and one DeleteObjects call takes as many.
    let token: string | undefined;
    do {
      const listed = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      const keys = (listed.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
      if (keys.length) {
        const out = await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys, Quiet: true } }));
        if (out.Errors?.length) throw new Error(`could not delete ${out.Errors.length} object(s) under ${prefix}: ${out.Errors[0]?.Code ?? 'unknown error'}`);
      }
      token = listed.IsTruncated ? listed.NextContinuationToken : undefined;
    } while (token);
  }

  async exists(key: string): Promise<boolean> {
    assertValidKey(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (err) {
      if (notFound(err)) return false;
      throw err;
    }
  }

  destroy(): void {
    this.client.destroy();
  }
}
