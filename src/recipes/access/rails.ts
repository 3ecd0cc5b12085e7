// Access as code's rails are the engine's (recipes/engine/rails.ts): the plan passes its live read and `policy:` block.
export { checkRails } from "../engine/rails.js";
