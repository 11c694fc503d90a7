using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Kosmos.KubeSim.FileSystem;

namespace Kosmos.KubeSim.Exec.Shell;

/// <summary>Parameter expansion, field splitting of unquoted expansions, and pathname expansion (* ? [..]).</summary>
internal static class WordExpander
{
    public static IReadOnlyList<string> ExpandFields(Word word, ShellSession session)
    {
        var fields = new List<string>();
        var text = new StringBuilder();
        var globbable = new List<bool>();
        var hasContent = false;

        void EndField()
        {
            if (hasContent || text.Length > 0)
            {
                fields.AddRange(Glob(text.ToString(), globbable, session));
            }

            text.Clear();
            globbable.Clear();
            hasContent = false;
        }

        foreach (var part in word.Parts)
        {
            switch (part)
            {
                case LiteralPart literal:
                    text.Append(literal.Text);
                    globbable.AddRange(Enumerable.Repeat(!literal.Quoted, literal.Text.Length));
                    hasContent |= literal.Quoted;
                    break;
                case VariablePart variable when variable.Quoted:
                    var quotedValue = Lookup(variable.Name, session);
                    text.Append(quotedValue);
                    globbable.AddRange(Enumerable.Repeat(false, quotedValue.Length));
                    hasContent = true;
                    break;
                case VariablePart variable:
                    var value = Lookup(variable.Name, session);
                    for (var i = 0; i < value.Length; i++)
                    {
                        if (value[i] is ' ' or '\t' or '\n')
                        {
                            EndField();
                        }
                        else
                        {
                            text.Append(value[i]);
                            globbable.Add(true);
                        }
                    }

                    break;
            }
        }

        EndField();
        return fields;
    }

    /// <summary>Expansion without splitting or globbing (assignment values, redirection targets).</summary>
    public static string ExpandSingle(Word word, ShellSession session) =>
        string.Concat(word.Parts.Select(p => p switch
        {
            LiteralPart literal => literal.Text,
            VariablePart variable => Lookup(variable.Name, session),
            _ => string.Empty,
        }));

    private static string Lookup(string name, ShellSession session) => name switch
    {
        "?" => session.LastExitCode.ToString(CultureInfo.InvariantCulture),
        "$" => session.ProcessId.ToString(CultureInfo.InvariantCulture),
        "#" => "0",
        "!" => string.Empty,
        _ => session.Variables.GetValueOrDefault(name, string.Empty),
    };

    private static List<string> Glob(string field, List<bool> globbable, ShellSession session)
    {
        var hasPattern = false;
        for (var i = 0; i < field.Length; i++)
        {
            hasPattern |= globbable[i] && field[i] is '*' or '?' or '[';
        }

        if (!hasPattern)
        {
            return [field];
        }

        // Walk component by component: literal components are appended, pattern components are matched against the directory.
        var absolute = field.StartsWith('/');
        var candidates = new List<string> { absolute ? "/" : string.Empty };
        var start = absolute ? 1 : 0;
        while (start <= field.Length && candidates.Count > 0)
        {
            var slash = field.IndexOf('/', start);
            var end = slash < 0 ? field.Length : slash;
            var component = field[start..end];
            var pattern = ToRegex(field, globbable, start, end);
            var next = new List<string>();
            foreach (var candidate in candidates)
            {
                if (component.Length == 0)
                {
                    next.Add(candidate);
                    continue;
                }

                if (pattern is null)
                {
                    next.Add(Join(candidate, component));
                    continue;
                }

                var directory = session.Resolve(candidate.Length == 0 ? "." : candidate);
                var entries = session.FileSystem.TryStat(directory)?.IsDirectory == true ? session.FileSystem.List(directory) : [];
                foreach (var entry in entries)
                {
                    if (entry.Name.StartsWith('.') && !component.StartsWith('.'))
                    {
                        continue;
                    }

                    if (pattern.IsMatch(entry.Name) && (slash < 0 || entry.IsDirectory))
                    {
                        next.Add(Join(candidate, entry.Name));
                    }
                }
            }

            candidates = next;
            if (slash < 0)
            {
                break;
            }

            start = slash + 1;
        }

        var matches = candidates.Where(c => session.FileSystem.Exists(session.Resolve(c))).Order(StringComparer.Ordinal).ToList();
        return matches.Count > 0 ? matches : [field];

        static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix.EndsWith('/') ? prefix + name : prefix + "/" + name;
    }

    private static Regex? ToRegex(string field, List<bool> globbable, int start, int end)
    {
        var pattern = new StringBuilder("^");
        var any = false;
        for (var i = start; i < end; i++)
        {
            var c = field[i];
            if (globbable[i] && c == '*')
            {
                pattern.Append(".*");
                any = true;
            }
            else if (globbable[i] && c == '?')
            {
                pattern.Append('.');
                any = true;
            }
            else if (globbable[i] && c == '[' && field.IndexOf(']', i + 1) is var close && close > i + 1 && close < end)
            {
                var set = field[(i + 1)..close];
                pattern.Append('[').Append(set.StartsWith('!') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set)).Append(']');
                i = close;
                any = true;
            }
            else
            {
                pattern.Append(Regex.Escape(c.ToString()));
            }
        }

        return any ? new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)) : null;
    }
}
