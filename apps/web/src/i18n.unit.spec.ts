import en from './i18n/en.json';
import vi from './i18n/vi.json';

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the translation files', () => {
  it('hold the same keys, Vietnamese and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
  });

  it('use the same placeholders in both languages, and leave no message empty', () => {
    const english = en as Record<string, string>;
    for (const [key, text] of Object.entries(vi as Record<string, string>)) {
      expect({ key, placeholders: placeholders(english[key]) }).toEqual({ key, placeholders: placeholders(text) });
      expect({ key, empty: text.trim() === '' || english[key].trim() === '' }).toEqual({ key, empty: false });
    }
  });
});
