import { ValidationError } from '@app/kernel';
import { parseDocument } from 'yaml';
import { type ImportContext, type ImportedDirective, importDirective } from './domain/directive-import';

/** Directive files larger than this are refused before parsing. */
export const MAX_DIRECTIVE_FILE_BYTES = 1024 * 1024;

export type DirectiveFileFormat = 'json' | 'yaml';

export class DirectiveFileTooLarge extends ValidationError {
  constructor(bytes: number) {
    super('DIRECTIVE_IMPORT.TOO_LARGE', `The file has ${bytes} bytes; at most ${MAX_DIRECTIVE_FILE_BYTES} (1 MiB) are accepted`, [
      { field: '(file)', message: `must be at most ${MAX_DIRECTIVE_FILE_BYTES} bytes` },
    ]);
  }
}

export class DirectiveFileUnparsable extends ValidationError {
  constructor(format: DirectiveFileFormat | 'utf-8', reason: string) {
    super('DIRECTIVE_IMPORT.UNPARSABLE', `The file is not valid ${format.toUpperCase()}: ${reason}`, [
      { field: '(file)', message: reason },
    ]);
  }
}

export class DirectiveFileFormatUnsupported extends ValidationError {
  constructor(fileName: string) {
    super('DIRECTIVE_IMPORT.UNSUPPORTED_FORMAT', `"${fileName}" is neither .json, .yaml nor .yml`, [
      { field: '(file)', message: 'must be a .json, .yaml or .yml file' },
    ]);
  }
}

/** The format a file name announces. */
export const directiveFileFormat = (fileName: string): DirectiveFileFormat => {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  throw new DirectiveFileFormatUnsupported(fileName);
};

const decode = (content: string | Uint8Array): string => {
  const bytes = typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.byteLength;
  if (bytes > MAX_DIRECTIVE_FILE_BYTES) throw new DirectiveFileTooLarge(bytes);
  if (typeof content === 'string') return content;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(content);
  } catch {
    throw new DirectiveFileUnparsable('utf-8', 'the bytes are not UTF-8 text');
  }
};

const parseYaml = (text: string): unknown => {
  // YAML 1.2 core schema: `2022-09-15` stays a string, and aliases are capped against expansion bombs.
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true, strict: true });
  if (document.errors.length > 0) {
    throw new DirectiveFileUnparsable('yaml', document.errors.map((e) => e.message.split('\n')[0]).join('; '));
  }
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new DirectiveFileUnparsable('yaml', (error as Error).message);
  }
};

/** Parses a directive file (JSON or YAML, at most 1 MiB) into a plain object, without judging its content. */
export const parseDirectiveFile = (content: string | Uint8Array, format: DirectiveFileFormat): unknown => {
  const text = decode(content).replace(/^\uFEFF/, '');
  if (format === 'yaml') return parseYaml(text);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DirectiveFileUnparsable('json', (error as Error).message);
  }
};

/** Parse and validate in one step: the file's bytes to a DraftDirective command's data. */
export const importDirectiveFile = (
  content: string | Uint8Array,
  format: DirectiveFileFormat,
  context: ImportContext,
): ImportedDirective => importDirective(parseDirectiveFile(content, format), context);
