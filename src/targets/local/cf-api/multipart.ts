import { CfError } from './envelope.ts';

/** One file part of a Worker upload: a module, a source map, or the `metadata` JSON. */
export interface UploadPart {
  name: string;
  filename: string | null;
  type: string;
  content: Buffer;
}

/**
 * Parses a `multipart/form-data` body with Node's own fetch implementation (undici), as the Workers API reads
 * wrangler's FormData: every part, in order, with its file name and content type.
 */
export async function parseMultipart(body: Buffer, contentType: string | undefined): Promise<UploadPart[]> {
  if (!contentType?.startsWith('multipart/form-data')) {
    throw new CfError(400, 10021, 'Expected a multipart/form-data upload with a metadata part');
  }
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  } catch (err) {
    throw new CfError(400, 10021, `The multipart body could not be read: ${(err as Error).message}`);
  }
  const parts: UploadPart[] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') {
      parts.push({ name, filename: null, type: 'text/plain', content: Buffer.from(value) });
    } else {
      parts.push({
        name,
        filename: value.name || null,
        type: value.type,
        content: Buffer.from(await value.arrayBuffer()),
      });
    }
  }
  return parts;
}
