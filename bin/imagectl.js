#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm run build`, run by `prepare`).
import { main } from '../dist/cli.js';
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
