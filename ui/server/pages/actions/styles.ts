// The action pages' rules, appended to the admin stylesheet (/assets/admin.css; no inline style: the CSP forbids it).
export const ACTION_STYLES = `
.actions{display:inline-flex;flex-wrap:wrap;gap:.35rem;align-items:center;margin:.25rem 0}
div.actions{display:flex}
h1 .actions{margin-left:.5rem;vertical-align:middle}
h1 .actions button{font-size:.85rem;font-weight:400}
.card.action{max-width:52rem}
.action fieldset{border:1px solid var(--line);border-radius:6px;margin:0 0 .75rem;padding:.5rem .75rem;min-width:0}
.action legend{font-weight:600;padding:0 .25rem}
.action .field{display:flex;flex-direction:column;gap:.15rem;margin:.4rem 0}
.action .field.check{flex-direction:row;flex-wrap:wrap;align-items:center;gap:.4rem}
.action .field label{font-weight:600}
.action .field input[type=text],.action .field input[type=number],.action .field input[type=datetime-local],.action .field select,.action .field textarea{max-width:100%;width:32rem}
.action .field.invalid input,.action .field.invalid textarea,.action .field.invalid select{border:2px solid #b42318}
.action .field small{font-size:.8rem}
.action .buttons{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-top:.75rem}
.action ul.options{list-style:none;padding:0;margin:.5rem 0}
.action ul.options li{margin:.2rem 0}
.action ul.options a{text-decoration:none}
.action #dry-run{max-height:28rem;overflow:auto;border:1px solid var(--line);border-radius:6px;padding:.5rem .5rem .5rem 1.75rem;background:#fbfcfd;overflow-wrap:anywhere}
.action #summary{overflow-wrap:anywhere}
`;
