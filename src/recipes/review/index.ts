// Access reviews: findings about risky access states (access-review.ts), read-only.
export { accessReview } from "./access-review.js";
export type { AccessFinding, AccessFindingKind, AccessReviewOptions, AccessReviewReport } from "./access-review.js";
