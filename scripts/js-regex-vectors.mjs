// Generates testdata/toolset/js_patterns.json: what JavaScript's own engine
// says of `new RegExp(pattern, "i").test(key)` for each pattern and key below,
// or "syntax_error" when it refuses the pattern. The toolset's translation is
// tested against this table.
//
//   node scripts/js-regex-vectors.mjs > testdata/toolset/js_patterns.json

const cases = [
  // Case-insensitivity without `u`: simple uppercase, never non-ASCII to ASCII.
  ["^list_", "LIST_items"], ["^list_", "liſt_secrets"], ["^s", "ſ"], ["ſ", "s"], ["ſ", "S"], ["ſ", "ſ"],
  ["^k", "\u212A"], ["\u212A", "k"], ["\u212A", "K"], ["\u212A", "\u212A"],
  ["é", "É"], ["É", "é"], ["ß", "SS"], ["ß", "ẞ"], ["ẞ", "ß"], ["ss", "ß"],
  ["σ", "Σ"], ["ς", "Σ"], ["ς", "σ"], ["Σ", "ς"], ["i", "İ"], ["i", "ı"], ["ı", "I"], ["İ", "i"],
  ["ǆ", "ǅ"], ["ǅ", "Ǆ"], ["µ", "μ"], ["µ", "Μ"], ["ﬀ", "FF"], ["Ω", "ω"], ["\u2126", "ω"],
  ["[a-z]", "K"], ["[a-z]", "\u212A"], ["[a-z]", "ſ"], ["[^a-z]", "ſ"], ["[^a-z]", "A"], ["[k]", "\u212A"],
  ["[A-Z]+$", "abc"], ["[à-ÿ]", "À"], ["[À-Þ]", "ÿ"],
  // \d \w \s \b are ASCII; . stops at line terminators.
  ["\\d", "٣"], ["\\d", "7"], ["\\D", "٣"], ["\\w", "é"], ["\\w", "_"], ["\\W", "é"], ["\\w", "ſ"], ["\\W", "ſ"],
  ["\\s", "\u00a0"], ["\\s", "\ufeff"], ["\\s", "\u2028"], ["\\s", "\u0085"], ["\\s", "\u180e"], ["\\S", "\u0085"],
  ["\\bé", "aé"], ["a\\b", "aé"], ["\\Bb", "ab"], ["^\\b$", ""],
  ["^.$", "\n"], ["^.$", "\r"], ["^.$", "\u2028"], ["^.$", "\u2029"], ["^.$", "\u0085"], ["^.$", "é"], ["a.c", "abc"],
  // Annex B: what would be an error with `u` is a literal here.
  ["\\p{L}", "é"], ["\\p{L}", "p{L}"], ["\\p{L}", "P{l}"], ["\\P", "p"], ["\\A", "a"], ["\\z", "Z"], ["\\y", "y"],
  ["a{", "a{"], ["a{1", "a{1"], ["a{,2}", "a{,2}"], ["a{1,2", "a{1,2"], ["x{2}", "xx"], ["x{2,}", "xxx"], ["x{2,3}", "x"],
  ["]", "]"], ["}", "}"], ["^github://{owner}/", "github://{owner}/repo"], ["{a}", "{a}"], ["{", "{"],
  ["\\cJ", "\n"], ["\\cj", "\n"], ["\\c", "\\c"], ["\\c1", "\\c1"], ["[\\c1]", "\u0011"], ["[\\c_]", "\u001f"],
  ["\\0", "\u0000"], ["\\00", "\u0000"], ["\\07", "\u0007"], ["\\1", "\u0001"], ["\\12", "\n"], ["\\8", "8"], ["\\9", "9"],
  ["\\x41", "a"], ["\\x4", "x4"], ["\\xg", "xg"], ["\\u0041", "a"], ["\\u{41}", "uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu"],
  ["\\u{41}", "A"], ["\\u00", "u00"], ["\\uD83D\\uDE00", "😀"], ["\\k", "k"], ["\\k<x>", "k<x>"],
  ["\\f\\v\\t", "\f\v\t"], ["[\\b]", "\b"], ["[\\-]", "-"], ["\\-", "-"], ["\\/", "/"], ["\\.", "a"], ["\\.", "."],
  // Classes.
  ["[]", "a"], ["[^]", "\n"], ["[^]", "a"], ["[^a]", "A"], ["[^a]", "b"], ["[a-]", "-"], ["[-a]", "-"], ["[a\\-z]", "b"],
  ["[\\d-z]", "-"], ["[\\d-z]", "m"], ["[\\w-]", "-"], ["[\\s\\d]", "5"], ["[^\\d]", "5"], ["[^\\D]", "5"], ["[\\S]", " "],
  ["[.]", "a"], ["[.]", "."], ["[$^]", "^"], ["[(]", "("], ["[|]", "|"], ["[\\]]", "]"], ["[]a]", "a"], ["[a[]", "["],
  ["[\\u0041-\\u005A]", "m"], ["[\\x41-\\x5a]+$", "hello"], ["[z-a]", "a"],
  // Quantifiers, groups, alternation, anchors.
  ["^(list|get)_", "GET_user"], ["^(?:list|get)_", "delete_user"], ["^(?<verb>list)_", "list_x"], ["(a|)+$", "aaa"],
  ["^a*?$", "aaa"], ["^a+?b", "aab"], ["^(ab)*$", "ababab"], ["^(ab){2}$", "ababab"], ["^$", ""], ["^$", "a"],
  ["a|b|c", "C"], ["^(a|b)c$", "BC"], ["x*", ""], ["(?:)", "anything"], ["^create_(issue|pr)$", "create_issue_comment"],
  ["issue$", "list_issue"], ["^issue", "list_issue"], ["", "a"],
  // Outside the Basic Multilingual Plane: without `u`, two UTF-16 code units.
  ["^.$", "😀"], ["^..$", "😀"], ["^.{2}$", "😀"], ["^.{4}$", "😀😀"], ["^.{3}$", "😀😀"], ["^😀$", "😀"],
  ["^😀+$", "😀😀"], ["^(?:😀)+$", "😀😀"], ["😀+", "😀😀"], ["^a😀?$", "a😀"], ["^a😀?$", "a"], ["😀|😁", "😁"],
  ["\\uD83D", "😀"], ["^\\uD83D$", "😀"], ["\\uDE00", "😀"], ["^\\uD83D\\uDE00$", "😀"], ["\\uD83D\\uDE01", "😀"],
  ["[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]", "😀"], ["[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]", "a"],
  ["[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]", "𠀀"], ["^[\\uD800-\\uDBFF]$", "😀"], ["^[\\uD800-\\uFFFF]{2}$", "😀"],
  ["[😀]", "😀"], ["^[😀]$", "😀"], ["^[😀]{2}$", "😀"], ["[😀-😂]", "😁"], ["[\\uD83D\\uDE00-\\uD83D\\uDE02]", "😁"],
  ["[\\uDE00-\\uDE02]", "😁"], ["[\\uDE00-\\uDE02]", "😃"],
  ["^[^a]$", "😀"], ["^[^a]{2}$", "😀"], ["^[^\\uD83D]+$", "😀"], ["[^\\uD83D]", "😀"], ["[^\\uD800-\\uDFFF]", "😀"],
  ["\\W", "😀"], ["^\\W\\W$", "😀"], ["\\w", "😀"], ["^\\S$", "😀"], ["^[\\s\\S]{2}$", "😀"], ["\\b😀", "a😀"],
  ["^𝐀$", "𝐀"], ["^𝐀$", "𝐚"], ["^..$", "𠀀"], ["^..$", "\u{E0041}"], ["^..$", "\u{F0041}"], ["^.$", "\u{F0041}"],
  ["^..$", "\u{10FFFD}"], ["\\uDB80", "\u{F0041}"],
  // Deseret letters: JavaScript without `u` folds code units, so not these.
  ["𐐀", "𐐨"], ["𐐨", "𐐀"], ["^𐐀$", "𐐀"], ["[𐐀-𐐏]", "𐐀"],
  // What JavaScript refuses.
  ["(?i)x", "x"], ["(?-i)x", "x"], ["(?x)a", "a"], ["a{2,1}", "aa"], ["*a", "a"], ["+", "+"], ["?", "?"], ["a**", "a"],
  ["(", "("], [")", ")"], ["[a", "a"], ["\\", "\\"], ["a|*", "a"], ["^*", "a"], ["$+", "a"], ["\\b+", "a"], ["(?<>a)", "a"],
  ["(?<1a>a)", "a"], ["(?P<x>a)", "a"], ["{1}", "a"], ["x{1}{2}", "x"],
  // Look-around and back-references: JavaScript runs them; the toolset refuses them.
  ["^(?=a)", "a"], ["(?!a)", "b"], ["(?<=a)b", "ab"], ["(?<!a)b", "b"], ["(a)\\1", "aa"], ["(?<x>a)\\k<x>", "aa"],
];

const out = cases.map(([pattern, key]) => {
  let expect;
  try {
    expect = new RegExp(pattern, "i").test(key);
  } catch (e) {
    expect = "syntax_error";
  }
  return { pattern, key, expect };
});
process.stdout.write(JSON.stringify({ engine: `node ${process.version}`, cases: out }, null, 1) + "\n");
