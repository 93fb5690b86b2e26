// The embedding and search commands, registered together: model, embed, search, suggest.
export { embedCommand } from './embed';
export { modelCommand } from './model';
export { searchCommand } from './search';
export { suggestCommand } from './suggest';
