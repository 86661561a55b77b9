# SARIF 2.1.0 -> GitLab SAST report (schema 15.x), used by hooks/sdl-ci --gitlab.
#   jq -f sarif-to-gitlab-sast.jq --arg start YYYY-MM-DDTHH:MM:SS findings.sarif
# Severity: rule properties.security-severity (> 9.0 Critical, >= 7.0 High,
# >= 4.0 Medium, else Low, as GitHub reads it) or the result level (error High,
# warning Medium, note Low, none Info). Suppressed results with status
# "accepted" (or no status) are left out, as GitLab's own SARIF import does.
# Identifiers: the rule id, and every CWE named in the rule's tags.

def sev($rule; $level):
  (($rule.properties["security-severity"] // "") | tostring | tonumber? // null) as $s
  | if $s != null then
      (if $s > 9.0 then "Critical" elif $s >= 7.0 then "High" elif $s >= 4.0 then "Medium"
       elif $s > 0 then "Low" else "Info" end)
    else
      ({"error": "High", "warning": "Medium", "note": "Low", "none": "Info"}[$level // "warning"] // "Unknown")
    end;

def cwes($rule):
  [($rule.properties.tags // [])[] | tostring
   | (capture("(?i)cwe[-/](?<n>[0-9]+)$") // empty) | .n] | unique
  | map({type: "cwe", name: ("CWE-" + .), value: .,
         url: ("https://cwe.mitre.org/data/definitions/" + . + ".html")});

def suppressed: ((.suppressions // []) | map(select((.status // "accepted") == "accepted")) | length) > 0;

. as $doc
| ($doc.runs[0].tool.driver // {}) as $drv
| {
    version: "15.0.7",
    scan: {
      analyzer: {id: "sdl-analyze", name: "sdl-analyze", version: ($drv.version // "0"),
                 vendor: {name: "SDL toolchain"}},
      scanner: {id: "sdl-analyze", name: ($drv.name // "sdl-analyze"), version: ($drv.version // "0"),
                vendor: {name: "SDL toolchain"}},
      type: "sast",
      start_time: $start,
      end_time: $start,
      status: "success"
    },
    vulnerabilities: [
      $doc.runs[] as $run
      | ($run.tool.driver.rules // []) as $rules
      | $run.results[]?
      | select(suppressed | not)
      | . as $r
      | (if ($r.ruleIndex // null) != null then $rules[$r.ruleIndex]
         else ($rules | map(select(.id == $r.ruleId)) | first) end // {}) as $rule
      | ($r.locations[0].physicalLocation // {}) as $loc
      | ($loc.region.startLine // 1) as $l
      | {
          id: (($r.partialFingerprints // {} | to_entries | map(.value) | first)
               // "\($r.ruleId):\($loc.artifactLocation.uri):\($l):\($loc.region.startColumn // 0)"),
          name: ($rule.shortDescription.text // $r.ruleId // "finding"),
          description: ($r.message.text // ""),
          severity: sev($rule; $r.level // $rule.defaultConfiguration.level),
          identifiers: ([{type: "sdl_rule", name: ($r.ruleId // "unknown"), value: ($r.ruleId // "unknown")}
                         + (if $rule.helpUri then {url: $rule.helpUri} else {} end)] + cwes($rule)),
          location: {file: ($loc.artifactLocation.uri // "unknown"), start_line: $l,
                     end_line: ($loc.region.endLine // $l)}
        }
    ]
  }
