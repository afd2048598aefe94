// DAG files for the admin page tests: a DAG with a task group, params and doc_md, every author-controlled text
// carrying an XSS payload that would set window.__xss (or open a dialog) if a page ever ran it; and a broken file
// whose import error carries one too.
export const XSS = {
  img: '<img src=x onerror="window.__xss=1">',
  script: '<script>window.__xss=1</script>',
  svg: '"><svg onload=window.__xss=1>',
  js: 'javascript:window.__xss=1',
  tpl: '${window.__xss=1}',
};

export const UI_FILES = {
  'etl.yaml': `etl:
  description: 'ETL ${XSS.img} ${XSS.tpl}'
  schedule: "@daily"
  timezone: Europe/Paris
  catchup: false
  tags: [team-a, "${XSS.script.replaceAll('"', '\\"')}"]
  doc_md: |
    # Daily ETL
    See [the docs](https://example.org/etl) and [bad](${XSS.js}).
    ${XSS.script} ${XSS.svg} ${XSS.tpl}
  params: {who: '${XSS.svg}'}
  default_args: {start_date: 2024-01-01, owner: alice}
  task_groups:
    - {group_name: load}
  tasks:
    - {task_id: extract, operator: bash, bash_command: 'echo {{ ds }} ${XSS.img.replaceAll('"', '')}'}
    - {task_id: to_lake, operator: empty, task_group_name: load, dependencies: [extract]}
    - {task_id: to_warehouse, operator: empty, task_group_name: load, dependencies: [to_lake]}
`,
  'report.yaml': `report:
  schedule: null
  tags: [team-b]
  default_args: {start_date: 2024-01-01, owner: bob}
  tasks:
    - {task_id: build, operator: empty}
`,
  'broken.yaml': `broken:
  schedule: "@daily"
  "<img src=x onerror=window.__xss=1>": 1
  tasks: []
`,
};
