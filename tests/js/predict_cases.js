// Runs assets/predict.js over cases written by tests/unit/configurator/test_prediction.py and prints what
// it predicts, so the Python test can compare it with the server's own choose(), picture URLs and the
// page's address (builds.address_of), and each text as urlencode writes it.
//   bun tests/js/predict_cases.js cases.json
const fs = require("fs");
const rules = require("../../assets/predict.js");

const { catalogue, cases, texts } = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const cat = rules.indexCatalogue(catalogue);
const results = cases.map(({ build, option, paintWord, view, code }) => {
  const next = rules.choose(cat, build, option);
  return (
    next && {
      build: next,
      frames: rules.frames(cat, next, paintWord),
      address: rules.addressOf(cat, next, view, code),
    }
  );
});
process.stdout.write(JSON.stringify({ results, texts: (texts || []).map(rules.formEncode) }));
