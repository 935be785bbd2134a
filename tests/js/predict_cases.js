// Runs assets/predict.js over cases written by tests/unit/configurator/test_prediction.py and prints what
// it predicts, so the Python test can compare it with the server's own choose() and picture URLs.
//   bun tests/js/predict_cases.js cases.json
const fs = require("fs");
const rules = require("../../assets/predict.js");

const { catalogue, cases } = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const cat = rules.indexCatalogue(catalogue);
const results = cases.map(({ build, option, description }) => {
  const next = rules.choose(cat, build, option);
  return next && { build: next, frames: rules.frames(cat, next, description) };
});
process.stdout.write(JSON.stringify(results));
