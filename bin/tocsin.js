#!/usr/bin/env node
// The `tocsin` command: runs the compiled CLI (npm start / npm run build produce dist/).
import('../dist/server/main.js');
