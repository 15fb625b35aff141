#!/usr/bin/env bash
# kodbok codebook import FILE.qdc: a REFI-QDA codebook becomes a codebook
# YAML that checks. kodbok's own blocks (docs/refi-qda.md) give back kinds,
# ids, rules and facets; other tools' trees become tiers by their shape;
# namespace variants, a BOM and an empty <Sets/> are read with notices;
# what is not a codebook is one error line and leaves the output alone.
source "$(dirname "$0")/lib/common.bash"

# As kodbok writes it: every code with its block, the codebook's Set.
cat >"$TMP/own.qdc" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="kodbok 0.1.0"><Codes>
<Code guid="5d3c9f7e-1111-5111-8111-000000000001" name="Organisering av samverkan" isCodable="false"><Description>kodbok:
  kind: dimension
  id: organisering</Description>
<Code guid="5d3c9f7e-1111-5111-8111-000000000002" name="Struktur" isCodable="false"><Description>Hur samverkan är byggd.

kodbok:
  kind: theme
  id: struktur</Description>
<Code guid="5d3c9f7e-1111-5111-8111-000000000003" name="Helheten viktig" isCodable="true"><Description>Samverkan behövs på alla nivåer.

kodbok:
  kind: concept
  id: helheten-viktig
  was: helhet
  patterns: ['\bröd(?:a)? tråd\w*', '\bpå alla nivåer\b', 'it''s']
  exclude: ['\binte alls viktig']
  scope: turn
  speakers: all
  caseless: false</Description></Code>
</Code></Code>
<Code guid="5d3c9f7e-1111-5111-8111-000000000004" name="Nivå" isCodable="false"><Description>kodbok:
  kind: facet
  id: level
  attribute: level
  default: nivaoberoende</Description>
<Code guid="5d3c9f7e-1111-5111-8111-000000000005" name="Regional nivå" isCodable="true"><Description>kodbok:
  kind: value
  id: regional
  patterns: ['\bVVG\b']
  caseless: true</Description></Code>
<Code guid="5d3c9f7e-1111-5111-8111-000000000006" name="Nivåoberoende" isCodable="true"><Description>kodbok:
  kind: value
  id: nivaoberoende
  caseless: true</Description></Code>
</Code>
</Codes><Sets><Set guid="5d3c9f7e-1111-5111-8111-000000000007" name="Vårdsamverkan"><Description>kodbok:
  kind: codebook
  format: 1
  name: 'Vårdsamverkan Västra Götaland'</Description></Set></Sets></CodeBook>
XML
"$KODBOK" codebook import "$TMP/own.qdc" -o "$TMP/own.yaml" >/dev/null 2>"$TMP/err" || bad "own: $(cat "$TMP/err")"
[ ! -s "$TMP/err" ] && ok || bad "notices on kodbok's own file: $(cat "$TMP/err")"
"$KODBOK" codebook check "$TMP/own.yaml" --format json >"$TMP/own.json" || bad "check"
node() { jq -c --arg id "$1" ".nodes[] | select(.id == \$id) | $2" "$TMP/own.json"; }
[ "$(jq -r .name "$TMP/own.json")" = "Vårdsamverkan Västra Götaland" ] && ok || bad "name"
[ "$(node helheten-viktig '[.parent, .scope, .patterns]')" = '["struktur","turn",["\\bröd(?:a)? tråd\\w*","\\bpå alla nivåer\\b","it'"'"'s"]]' ] &&
    ok || bad "concept: $(node helheten-viktig .)"
[ "$(node helheten-viktig .description)" = '"Samverkan behövs på alla nivåer."' ] && ok || bad "description"
[ "$(node struktur '[.parent, .description]')" = '["organisering","Hur samverkan är byggd."]' ] && ok || bad "theme"
[ "$(node regional '[.parent, .patterns]')" = '["level",["\\bVVG\\b"]]' ] && ok || bad "facet value"
grep -q "was: 'helhet'" "$TMP/own.yaml" && grep -q "speakers: 'all'" "$TMP/own.yaml" &&
    grep -q "caseless: 'false'" "$TMP/own.yaml" && grep -q "exclude:" "$TMP/own.yaml" &&
    grep -q "default: 'nivaoberoende'" "$TMP/own.yaml" && ok || bad "rules: $(cat "$TMP/own.yaml")"

# Another tool's tree, with a BOM, NVivo for Mac's namespace variant,
# braces, a colour out of the schema, an empty folder and a deep code.
{
    printf '\xef\xbb\xbf'
    cat <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1:0" origin="NVivo for Mac 12"><Codes>
<Code guid="{11111111-2222-3333-4444-555555555555}" name="Ledarskap" isCodable="true" color="#12345678">
  <Code guid="{11111111-2222-3333-4444-555555555556}" name="Tillit" isCodable="true">
    <Code guid="{11111111-2222-3333-4444-555555555557}" name="Värderingsstyrning" isCodable="true"><Description>Att styra med värden.</Description></Code>
    <Code guid="{11111111-2222-3333-4444-555555555558}" name="Tillit" isCodable="true">
      <Code guid="{11111111-2222-3333-4444-555555555559}" name="Djup kod" isCodable="true"/>
    </Code>
  </Code>
</Code>
<Code guid="{21111111-2222-3333-4444-555555555555}" name="Tom mapp" isCodable="false"/>
<Code guid="{31111111-2222-3333-4444-555555555555}" name="Lös kod" isCodable="true" color="red"/>
</Codes></CodeBook>
XML
} >"$TMP/nvivo.qdc"
"$KODBOK" codebook import "$TMP/nvivo.qdc" -o "$TMP/nvivo.yaml" --name Ledarskap >/dev/null 2>"$TMP/err" || bad "nvivo: $(cat "$TMP/err")"
grep -q 'namespace urn:QDA-XML:codebook:1:0 is not urn:QDA-XML:codebook:1.0' "$TMP/err" && ok || bad "namespace notice: $(cat "$TMP/err")"
grep -q '1 colours not #RGB or #RRGGBB, left out' "$TMP/err" && ok || bad "colour notice"
grep -q '1 non-codable codes without codes inside (empty folders) left out' "$TMP/err" && ok || bad "folder notice"
"$KODBOK" codebook check "$TMP/nvivo.yaml" --format json >"$TMP/nv.json" 2>/dev/null || bad "check nvivo"
p() { jq -r --arg id "$1" '.nodes[] | select(.id == $id) | "\(.kind) \(.parent)"' "$TMP/nv.json"; }
[ "$(p ledarskap)" = "dimension null" ] && ok || bad "dimension: $(p ledarskap)"
[ "$(p tillit)" = "theme ledarskap" ] && ok || bad "theme"
[ "$(p varderingsstyrning)" = "concept tillit" ] && ok || bad "concept"
[ "$(p tillit-2)" = "concept tillit" ] && ok || bad "unique id"
[ "$(p djup-kod)" = "concept tillit" ] && ok || bad "deep code: $(p djup-kod)"
[ "$(p los-kod)" = "concept okategoriserade-koder" ] && ok || bad "loose code"
[ "$(p okategoriserade-koder)" = "theme okategoriserat" ] && ok || bad "made theme"
[ -z "$(p tom-mapp)" ] && ok || bad "empty folder kept"
grep -q "# color: '#123456'" "$TMP/nvivo.yaml" && ok || bad "colour as comment"
[ "$(jq -r .name "$TMP/nv.json")" = Ledarskap ] && ok || bad "--name"

# Not a codebook: a Project root read as a codebook, entities, bad XML.
cp "$TMP/own.yaml" "$TMP/keep.yaml"
printf '<?xml version="1.0"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes></Codes></CodeBook>\n' >"$TMP/empty.qdc"
expect_fail 2 "empty\.qdc:2:.*a codebook without codes" "$KODBOK" codebook import "$TMP/empty.qdc" -o "$TMP/own.yaml"
printf '<?xml version="1.0"?>\n<!DOCTYPE CodeBook [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<CodeBook><Codes><Code guid="a" name="&x;" isCodable="true"/></Codes></CodeBook>\n' >"$TMP/xxe.qdc"
expect_fail 2 "xxe\.qdc:2:.*entit" "$KODBOK" codebook import "$TMP/xxe.qdc" -o "$TMP/own.yaml"
printf '<?xml version="1.0"?>\n<CodeBook><Codes><Code name="a">\n</CodeBook>\n' >"$TMP/broken.qdc"
expect_fail 2 "broken\.qdc:[0-9]+:[0-9]+: " "$KODBOK" codebook import "$TMP/broken.qdc" -o "$TMP/own.yaml"
cmp -s "$TMP/own.yaml" "$TMP/keep.yaml" && ok || bad "a failed import changed the output"
[ -z "$(ls "$TMP" | grep '\.tmp')" ] && ok || bad "temporary file left"
finish
