// Keys every Lake call must refuse (shared by the key, file-lake and GCS tests).
export const BAD_KEYS = [
  '',
  '../escape.txt',
  'raw/../../etc/passwd',
  '/etc/passwd',
  'raw//x.json',
  'raw/x/',
  'raw/./x',
  'a\0b',
  'a\\b',
  'C:/x',
  'raw/.windsock-tmp-x',
  'x'.repeat(1025),
  'a\nb',
];
