/**
 * Test-time augmentation's default limit. The page turns TTA on by default only when the 8 views
 * cost at most this many single predictions (a model's card may set its own limit); the worker
 * times TTA a second time when the first measurement lands near it.
 */
export const TTA_MAX_RATIO = 4;
