using System.Globalization;
using System.Text;

namespace Kosmos.Recovery.Actions;

/// <summary>
/// How a name from a request reads in an error message: control characters (a pasted line break) as escapes, so the message
/// shows what is wrong with the name instead of breaking the line it is on. Pure.
/// </summary>
internal static class InputText
{
    public static bool HasControl(string text) => text.Any(char.IsControl);

    public static string Visible(string text)
    {
        if (!HasControl(text))
        {
            return text;
        }

        var visible = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            visible.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return visible.ToString();
    }
}
