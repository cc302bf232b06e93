// SPDX-License-Identifier: AGPL-3.0-or-later
// Usage texts in PVE::CLIHandler's shapes (getopt_usage 'short' and 'long', print_usage_short),
// written from the CLI11 tree the parser uses.
#include "usage.hpp"

#include "commands.hpp"

#include <algorithm>
#include <cctype>
#include <iostream>
#include <sstream>

namespace pct::cli {

std::vector<const CLI::Option*> positionals(const CLI::App& cmd) {
    return cmd.get_options([](const CLI::Option* o) { return !o->nonpositional(); });
}

std::vector<const CLI::Option*> named_options(const CLI::App& cmd) {
    const CLI::Option* help = cmd.get_help_ptr();
    return cmd.get_options([help](const CLI::Option* o) {
        return o->nonpositional() && o != help && !o->get_group().empty();
    });
}

namespace {

void collect(const CLI::App& cmd, std::vector<const CLI::App*>& out) {
    for (const CLI::App* sub :
         cmd.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); })) {
        // A group of subcommands (`pct file`) is no command of its own; its members are.
        auto members = sub->get_subcommands([](const CLI::App*) { return true; });
        if (members.empty())
            out.push_back(sub);
        else
            collect(*sub, out);
    }
}

// The command the parser was inside when it failed (`pct` itself when none was reached).
const CLI::App& innermost(const CLI::App& app) {
    const CLI::App* at = &app;
    for (auto parsed = at->get_subcommands(); !parsed.empty(); parsed = at->get_subcommands())
        at = parsed.front();
    return *at;
}

std::string lower(std::string s) {
    std::ranges::transform(s, s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string wrap(const std::string& text, std::size_t indent, std::size_t width = 80) {
    std::istringstream words(text);
    std::string out(indent, ' ');
    std::size_t col = indent;
    for (std::string w; words >> w;) {
        if (col > indent && col + 1 + w.size() > width) {
            out += '\n' + std::string(indent, ' ');
            col = indent;
        } else if (col > indent) {
            out += ' ';
            ++col;
        }
        out += w;
        col += w.size();
    }
    return out + '\n';
}

// CLI11's "Could not convert: NAME = VALUE" and "--NAME: VALUE not in {...}" in JSONSchema's
// words, "NAME: type check ('integer') failed - got 'VALUE'", where the option's type says
// which; anything else as CLI11 wrote it.
std::string verification_failure(const CLI::App& cmd, const std::string& what) {
    std::string name, value;
    if (what.starts_with("Could not convert: ") && what.find(" = ") != std::string::npos) {
        name = what.substr(19, what.find(" = ") - 19);
        value = what.substr(what.find(" = ") + 3);
    } else if (auto colon = what.find(": "), in = what.find(" not in {");
               colon != std::string::npos && in != std::string::npos && in > colon) {
        name = what.substr(0, colon);
        value = what.substr(colon + 2, in - colon - 2);
    }
    name.erase(0, name.find_first_not_of('-'));
    std::string type;
    for (const CLI::Option* o : cmd.get_options())
        if (!name.empty() &&
            ((!o->nonpositional() && o->get_name() == name) || o->check_lname(name)))
            type = value_text(*o);
    if (type.size() < 2 || type == "<string>")
        return what;
    return name + ": type check ('" + type.substr(1, type.size() - 2) + "') failed - got '" +
           value + "'";
}

} // namespace

std::vector<const CLI::App*> all_commands(const CLI::App& app) {
    std::vector<const CLI::App*> out;
    collect(app, out);
    std::ranges::sort(out, {}, [](const CLI::App* c) { return full_name(*c); });
    return out;
}

std::string full_name(const CLI::App& cmd) {
    std::string name = cmd.get_parent() ? cmd.get_name() : "pct";
    for (const CLI::App* p = cmd.get_parent(); p; p = p->get_parent())
        name.insert(0, (p->get_parent() ? p->get_name() : std::string("pct")) + " ");
    return name;
}

std::string positional_text(const CLI::Option& opt) {
    std::string text = "<" + opt.get_name() + ">";
    if (opt.get_items_expected_max() > 1)
        text += "...";
    return opt.get_required() ? text : "[" + text + "]";
}

std::string value_text(const CLI::Option& opt) {
    if (opt.get_items_expected_max() == 0)
        return "";
    if (opt.get_items_expected_min() == 0)
        return "<boolean>"; // BoolOpt: `--name` alone or `--name 0|1|yes|no|...`
    std::string type = lower(opt.get_type_name());
    type = type.substr(0, type.find(':'));
    if (type == "int" || type == "uint")
        return "<integer>";
    if (type == "float")
        return "<number>";
    return "<string>";
}

std::string usage_line(const CLI::App& cmd) {
    std::string line = full_name(cmd);
    for (const CLI::Option* p : positionals(cmd))
        line += " " + positional_text(*p);
    if (!named_options(cmd).empty() || cmd.get_allow_extras())
        line += " [OPTIONS]";
    return line;
}

std::string usage_long(const CLI::App& cmd) {
    std::string out = "USAGE: " + usage_line(cmd) + "\n\n";
    out += wrap(cmd.get_description(), 2) + "\n";
    auto entry = [&](const std::string& name, const CLI::Option& o) {
        std::string head = "  " + name;
        head.resize(std::max<std::size_t>(head.size() + 1, 13), ' ');
        head += value_text(o);
        if (!o.get_default_str().empty())
            head += "   (default=" + o.get_default_str() + ")";
        while (!head.empty() && head.back() == ' ')
            head.pop_back();
        out += head + "\n\n" + wrap(o.get_description(), 13) + "\n";
    };
    for (const CLI::Option* p : positionals(cmd))
        entry("<" + p->get_name() + ">", *p);
    for (const CLI::Option* o : named_options(cmd))
        entry("--" + o->get_lnames().front(), *o);
    if (!cmd.get_footer().empty())
        out += wrap(cmd.get_footer(), 2) + "\n";
    while (out.ends_with("\n\n"))
        out.pop_back();
    return out;
}

void print_command_list(std::ostream& out, const CLI::App& app, const std::string& reason) {
    if (!reason.empty())
        out << "ERROR: " << reason << '\n';
    out << "USAGE: pct <COMMAND> [ARGS] [OPTIONS]\n";
    for (const CLI::App* cmd : all_commands(app))
        out << "       " << usage_line(*cmd) << '\n';
}

int usage_error(const CLI::App& app, const CLI::ParseError& e,
                const std::vector<std::string>& args) {
    const CLI::App& cmd = innermost(app);
    if (&cmd == &app) {
        std::string given; // what the user typed after `pct` and its --root (Proxmox: cmd_str)
        bool any = false;
        for (std::size_t i = 0; i < args.size(); ++i) {
            if (args[i] == "--root") {
                ++i;
                continue;
            }
            if (args[i].starts_with("--root="))
                continue;
            any = any || !args[i].starts_with('-');
            given += (given.empty() ? "" : " ") + args[i];
        }
        print_command_list(std::cerr, app,
                           any ? "unknown command 'pct " + given + "'" : "no command specified");
        return exit_failed;
    }
    const std::string what = e.what();
    const bool required = dynamic_cast<const CLI::RequiredError*>(&e) != nullptr;
    std::string problem;
    if (required && what.starts_with("-")) {
        std::string opt = what.substr(0, what.find(' '));
        opt.erase(0, opt.find_first_not_of('-'));
        problem = "400 Parameter verification failed.\n" + opt +
                  ": property is missing and it is not optional";
    } else if (required) {
        problem = "400 not enough arguments";
    } else if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
        // CLI11 lists the extras last first: the last option word is the first one given.
        std::istringstream words(what.substr(what.find(": ") + 2));
        std::string option;
        for (std::string w; words >> w;)
            if (w.starts_with("-"))
                option = w.substr(0, w.find('='));
        problem = option.empty()
                      ? "400 too many arguments"
                      : "Unknown option: " + option.substr(option.find_first_not_of('-')) +
                            "\n400 unable to parse option";
    } else if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
        problem = what + "\n400 unable to parse option";
    } else {
        problem = "400 Parameter verification failed.\n" + verification_failure(cmd, what);
    }
    std::cerr << problem << '\n' << usage_line(cmd) << '\n';
    return exit_failed;
}

} // namespace pct::cli
