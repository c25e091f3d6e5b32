export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
export const PAGES_PER_MIB = 256;

/** A process address space: what get_mm_rss() and total_vm count, in pages. */
export class Mm {
  totalVm = 0;
  anonRss = 0;
  fileRss = 0;

  constructor(init?: { totalVm: number; anonRss: number; fileRss: number }) {
    if (init) Object.assign(this, init);
  }

  get rss(): number {
    return this.anonRss + this.fileRss;
  }

  /** nr_ptes: one page-table page maps 2 MiB on ARM. */
  get ptes(): number {
    return Math.ceil(this.totalVm / 512);
  }

  clone(): Mm {
    return new Mm({ totalVm: this.totalVm, anonRss: this.anonRss, fileRss: this.fileRss });
  }
}

export interface MemoryLayout {
  ramMiB: number;
}

/**
 * Physical memory. Pages belong to the kernel image, slab, page cache or process RSS and page tables; the
 * rest is free. The page cache shrinks before anything is killed.
 */
export class PhysicalMemory {
  readonly totalPages: number;
  /** Kernel image, mem_map and reserved areas: not in MemTotal. */
  readonly reservedPages: number;
  slabPages: number;
  cachedPages: number;
  readonly cachedFloorPages: number;
  buffersPages: number;
  taskPages = 0;

  constructor(layout: MemoryLayout) {
    this.totalPages = layout.ramMiB * PAGES_PER_MIB;
    this.reservedPages = 2048 + Math.floor(this.totalPages / 128);
    this.slabPages = Math.floor(this.totalPages / 64);
    this.cachedPages = Math.floor(this.totalPages / 8);
    this.cachedFloorPages = Math.floor(this.totalPages / 256);
    this.buffersPages = 256;
  }

  get managedPages(): number {
    return this.totalPages - this.reservedPages;
  }

  get freePages(): number {
    return this.managedPages - this.slabPages - this.cachedPages - this.buffersPages - this.taskPages;
  }

  /** Drops clean page cache so that `pages` more fit; returns whether they do. */
  reclaim(pages: number): boolean {
    const short = pages - this.freePages;
    if (short <= 0) return true;
    const canDrop = this.cachedPages - this.cachedFloorPages;
    this.cachedPages -= Math.min(canDrop, short);
    return this.freePages >= pages;
  }
}
