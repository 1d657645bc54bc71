#!/usr/bin/env node
// The installed CLI: runs the built engine host.
import { main } from "../dist/electron/engine/cli/main.js";

await main();
