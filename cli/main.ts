#!/usr/bin/env node
console.log('windsock: under construction');
