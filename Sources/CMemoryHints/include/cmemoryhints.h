#ifndef ATTRITION_CMEMORYHINTS_H
#define ATTRITION_CMEMORYHINTS_H

/* Hints to the processor about memory about to be used, which Swift cannot give itself.
   A hash table of millions of case references is mostly out of cache: asking for the slots of
   the next few dozen references at once lets their fetches overlap, where a load made only to
   warm the cache is removed by the optimiser as soon as its value goes unused. */

/* Starts fetching the cache line holding `address` for writing; never faults, never waits. */
static inline void cmh_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

/* Starts fetching the cache line holding `address` for reading; never faults, never waits. */
static inline void cmh_prefetch_for_read(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
