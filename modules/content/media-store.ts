import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isUuid } from '@weft/kernel';

/** Where uploaded images' bytes are kept, by media id. */
export interface MediaStore {
  put(id: string, bytes: Uint8Array): Promise<void>;
  /** The bytes, or null when the store has none under that id. */
  get(id: string): Promise<Buffer | null>;
  delete(id: string): Promise<void>;
}

/**
 * The default store: one file per image in a folder (the data dir's `media/`).
 * A write goes to a temporary name first and is renamed into place, so a
 * crash never leaves half an image under a real id.
 */
export function createLocalMediaStore(dir: string): MediaStore {
  const pathOf = (id: string) => {
    // Ids come from our own rows; checking keeps any other string from naming a path.
    if (!isUuid(id)) throw new Error(`Not a media id: ${id}`);
    return join(dir, id);
  };
  return {
    async put(id, bytes) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const target = pathOf(id);
      const temporary = `${target}.partial`;
      await writeFile(temporary, bytes, { mode: 0o600 });
      await rename(temporary, target);
    },
    async get(id) {
      try {
        return await readFile(pathOf(id));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async delete(id) {
      await rm(pathOf(id), { force: true });
    },
  };
}
