using System.Diagnostics.CodeAnalysis;

// Components/Shared is Blazor's conventional folder for shared components, and Razor names the namespace after the folder.
// CA1716 guards against names that are keywords in other .NET languages (Shared is VB's); this web app's components are
// consumed by C# and Razor only.
[assembly: SuppressMessage("Naming", "CA1716:Identifiers should not match keywords",
    Scope = "namespace", Target = "~N:Kosmos.Dashboard.Components.Shared",
    Justification = "Blazor's conventional Components/Shared folder; consumed by C# and Razor only.")]
