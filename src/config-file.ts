// The config file's name, on its own: the CLI checks for it before loading the config parser.
export const CONFIG_FILE = 'talkdeck.config.json'
