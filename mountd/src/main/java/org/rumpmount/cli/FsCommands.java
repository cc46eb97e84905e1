package org.rumpmount.cli;

import java.util.List;
import java.util.function.Supplier;

/** Every fs-utils command, in the order help lists them. Fresh objects each time: picocli fills their fields. */
final class FsCommands {
    private FsCommands() {
    }

    static List<Supplier<FsCommand>> all() {
        return List.of(
                LsCommand::new, CatCommand::new, StatCommand::new, FindCommand::new, DuCommand::new,
                DfCommand::new, MkdirCommand::new, RmdirCommand::new, RmCommand::new, MvCommand::new,
                CpCommand::new, LnCommand::new, ChmodCommand::new, ChownCommand::new, ChflagsCommand::new,
                TouchCommand::new, MkfifoCommand::new, MknodCommand::new, WriteCommand::new, GetCommand::new,
                PutCommand::new);
    }
}
