import { inject, type InjectionKey } from 'vue';
import type { GoldfishApi } from '../../../contract/index.js';

export const API_KEY: InjectionKey<GoldfishApi> = Symbol('goldfish-api');

export function useApi(): GoldfishApi {
  const api = inject(API_KEY);
  if (!api) throw new Error('The Goldfish API was not provided to this component tree');
  return api;
}
