// What DAG files are checked against for openaq.extract; the implementation (extract.ts) loads on first use.
import type { OperatorSpec } from '../../engine/operators/lazy.js';
import { checkOpenAQSettings } from '../settings.js';
import { ExtractArgs } from './extract-args.js';

export const extractSpec: OperatorSpec<ExtractArgs> = {
  name: 'openaq.extract',
  description: 'OpenAQ v3 hourly values of one data interval for the stations of a region, staged byte for byte',
  args: ExtractArgs,
  checkSettings: checkOpenAQSettings,
};
