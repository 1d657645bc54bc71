// `npm run -s corpus`: prints how our parser compares with Sisimai on ../shared/corpus.
import { evaluateCorpus, summarise } from "./evaluate.js";

const ev = await evaluateCorpus();
process.stdout.write(summarise(ev) + "\n");
if (process.argv.includes("--misses")) process.stdout.write(ev.idMissed.join("\n") + "\n");
