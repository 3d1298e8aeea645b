import type { Migration } from '../migrator.ts';

/** Users, auth, platforms, ROMs, files, facets, per-user props, notes and collections. */
export const migration: Migration = {
  async up(db, d) {
    await d
      .id(d.createTable('users'))
      .addColumn('username', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('email', 'varchar(255)', (c) => c.unique())
      .addColumn('hashed_password', 'varchar(255)')
      .addColumn('enabled', 'smallint', (c) => c.notNull().defaultTo(1))
      .addColumn('role', 'varchar(20)', (c) => c.notNull())
      .addColumn('avatar_path', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('last_login', 'bigint')
      .addColumn('last_active', 'bigint')
      .addColumn('ra_username', 'varchar(255)')
      .addColumn('ui_settings', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await d
      .createTable('sessions')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('idx_sessions_user').on('sessions').column('user_id').execute();

    await d
      .id(d.createTable('client_tokens'))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('hashed_token', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('scopes', 'varchar(1000)', (c) => c.notNull())
      .addColumn('expires_at', 'bigint')
      .addColumn('last_used_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('idx_client_tokens_user').on('client_tokens').column('user_id').execute();

    await d
      .createTable('refresh_tokens')
      .addColumn('jti', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    let platforms = d
      .id(d.createTable('platforms'))
      .addColumn('slug', 'varchar(100)', (c) => c.notNull())
      .addColumn('fs_slug', 'varchar(100)', (c) => c.notNull().unique())
      .addColumn('name', 'varchar(400)', (c) => c.notNull())
      .addColumn('custom_name', 'varchar(400)', (c) => c.notNull().defaultTo(''))
      .addColumn('description', 'text')
      .addColumn('category', 'varchar(100)')
      .addColumn('generation', 'integer')
      .addColumn('family_name', 'varchar(1000)')
      .addColumn('family_slug', 'varchar(1000)')
      .addColumn('url', 'varchar(1000)')
      .addColumn('url_logo', 'varchar(1000)')
      .addColumn('aspect_ratio', 'varchar(10)', (c) => c.notNull().defaultTo('2 / 3'));
    for (const p of ['igdb', 'sgdb', 'moby', 'ss', 'ra', 'launchbox', 'hasheous', 'tgdb', 'flashpoint']) {
      platforms = platforms.addColumn(`${p}_id`, 'integer');
    }
    for (const p of ['igdb', 'moby', 'hltb', 'libretro']) {
      platforms = platforms.addColumn(`${p}_slug`, 'varchar(100)');
    }
    await platforms
      .addColumn('missing_from_fs', 'smallint', d.bool)
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    let roms = d
      .id(d.createTable('roms'))
      .addColumn('platform_id', 'integer', (c) => c.notNull().references('platforms.id').onDelete('cascade'));
    for (const p of ['igdb', 'sgdb', 'moby', 'ss', 'ra', 'launchbox', 'hasheous', 'tgdb', 'hltb']) {
      roms = roms.addColumn(`${p}_id`, 'integer');
    }
    roms = roms
      .addColumn('flashpoint_id', 'varchar(100)')
      .addColumn('gamelist_id', 'varchar(100)')
      .addColumn('libretro_id', 'varchar(64)')
      .addColumn('fs_name', 'varchar(450)', (c) => c.notNull())
      .addColumn('fs_name_no_tags', 'varchar(450)', (c) => c.notNull())
      .addColumn('fs_name_no_ext', 'varchar(450)', (c) => c.notNull())
      .addColumn('fs_extension', 'varchar(100)', (c) => c.notNull())
      .addColumn('fs_path', 'varchar(1000)', (c) => c.notNull())
      .addColumn('fs_size_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('name', 'varchar(350)')
      .addColumn('name_sort_key', 'varchar(500)')
      .addColumn('name_sort_key_custom', 'smallint', d.bool)
      .addColumn('search_text', 'text', (c) => c.notNull())
      .addColumn('slug', 'varchar(400)')
      .addColumn('summary', 'text');
    for (const p of ['igdb', 'moby', 'ss', 'ra', 'launchbox', 'hasheous', 'flashpoint', 'hltb', 'gamelist', 'manual']) {
      roms = roms.addColumn(`${p}_metadata`, 'text', (c) => c.notNull());
    }
    for (const col of ['path_cover_s', 'path_cover_l', 'url_cover', 'path_manual', 'url_manual']) {
      roms = roms.addColumn(col, 'text', (c) => c.notNull());
    }
    await roms
      .addColumn('path_screenshots', 'text', (c) => c.notNull())
      .addColumn('url_screenshots', 'text', (c) => c.notNull())
      .addColumn('revision', 'varchar(100)')
      .addColumn('version', 'varchar(100)')
      .addColumn('regions', 'text', (c) => c.notNull())
      .addColumn('languages', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('crc_hash', 'varchar(100)')
      .addColumn('md5_hash', 'varchar(100)')
      .addColumn('sha1_hash', 'varchar(100)')
      .addColumn('ra_hash', 'varchar(100)')
      .addColumn('missing_from_fs', 'smallint', d.bool)
      .addColumn('first_release_date', 'bigint')
      .addColumn('average_rating', 'double precision')
      .addColumn('player_count', 'varchar(100)', (c) => c.notNull().defaultTo('1'))
      .addColumn('primary_region', 'varchar(50)')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('idx_roms_platform_fs_name').on('roms').columns(['platform_id', 'fs_name']).unique().execute();
    await db.schema.createIndex('idx_roms_name_sort_key').on('roms').column('name_sort_key').execute();
    await db.schema.createIndex('idx_roms_platform_sort').on('roms').columns(['platform_id', 'name_sort_key']).execute();
    await db.schema.createIndex('idx_roms_updated_at').on('roms').column('updated_at').execute();
    for (const col of ['crc_hash', 'md5_hash', 'sha1_hash', 'ra_hash', 'igdb_id', 'moby_id', 'ss_id', 'ra_id',
      'launchbox_id', 'hasheous_id', 'tgdb_id', 'first_release_date', 'average_rating']) {
      await db.schema.createIndex(`idx_roms_${col}`).on('roms').column(col).execute();
    }

    await d
      .id(d.createTable('rom_files'))
      .addColumn('rom_id', 'integer', (c) => c.notNull().references('roms.id').onDelete('cascade'))
      .addColumn('file_name', 'varchar(450)', (c) => c.notNull())
      .addColumn('file_path', 'varchar(1000)', (c) => c.notNull())
      .addColumn('file_size_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('last_modified', 'double precision')
      .addColumn('crc_hash', 'varchar(100)')
      .addColumn('md5_hash', 'varchar(100)')
      .addColumn('sha1_hash', 'varchar(100)')
      .addColumn('ra_hash', 'varchar(100)')
      .addColumn('chd_sha1_hash', 'varchar(100)')
      .addColumn('archive_members', 'text')
      .addColumn('category', 'varchar(20)')
      .addColumn('missing_from_fs', 'smallint', d.bool)
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('idx_rom_files_rom').on('rom_files').column('rom_id').execute();
    for (const col of ['crc_hash', 'md5_hash', 'sha1_hash', 'chd_sha1_hash']) {
      await db.schema.createIndex(`idx_rom_files_${col}`).on('rom_files').column(col).execute();
    }

    await d
      .createTable('rom_facets')
      .addColumn('rom_id', 'integer', (c) => c.notNull().references('roms.id').onDelete('cascade'))
      .addColumn('kind', 'varchar(20)', (c) => c.notNull())
      .addColumn('value', 'varchar(400)', (c) => c.notNull())
      .addPrimaryKeyConstraint('pk_rom_facets', ['kind', 'value', 'rom_id'])
      .execute();
    await db.schema.createIndex('idx_rom_facets_rom').on('rom_facets').columns(['rom_id', 'kind']).execute();

    await d
      .id(d.createTable('rom_user'))
      .addColumn('rom_id', 'integer', (c) => c.notNull().references('roms.id').onDelete('cascade'))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('is_main_sibling', 'smallint', d.bool)
      .addColumn('last_played', 'bigint')
      .addColumn('backlogged', 'smallint', d.bool)
      .addColumn('now_playing', 'smallint', d.bool)
      .addColumn('hidden', 'smallint', d.bool)
      .addColumn('rating', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('difficulty', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('completion', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('status', 'varchar(20)')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('idx_rom_user_rom_user').on('rom_user').columns(['rom_id', 'user_id']).unique().execute();
    await db.schema.createIndex('idx_rom_user_user').on('rom_user').columns(['user_id', 'rom_id']).execute();

    await d
      .id(d.createTable('rom_notes'))
      .addColumn('rom_id', 'integer', (c) => c.notNull().references('roms.id').onDelete('cascade'))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('title', 'varchar(400)', (c) => c.notNull())
      .addColumn('content', 'text', (c) => c.notNull())
      .addColumn('is_public', 'smallint', d.bool)
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('idx_rom_notes_unique').on('rom_notes').columns(['rom_id', 'user_id', 'title']).unique().execute();

    await d
      .id(d.createTable('collections'))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('name', 'varchar(400)', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('is_public', 'smallint', d.bool)
      .addColumn('is_favorite', 'smallint', d.bool)
      .addColumn('path_cover_s', 'text', (c) => c.notNull())
      .addColumn('path_cover_l', 'text', (c) => c.notNull())
      .addColumn('url_cover', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('idx_collections_user').on('collections').columns(['user_id', 'name']).execute();

    await d
      .createTable('collections_roms')
      .addColumn('collection_id', 'integer', (c) => c.notNull().references('collections.id').onDelete('cascade'))
      .addColumn('rom_id', 'integer', (c) => c.notNull().references('roms.id').onDelete('cascade'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('pk_collections_roms', ['collection_id', 'rom_id'])
      .execute();
    await db.schema.createIndex('idx_collections_roms_rom').on('collections_roms').column('rom_id').execute();

    await d
      .id(d.createTable('smart_collections'))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('name', 'varchar(400)', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('is_public', 'smallint', d.bool)
      .addColumn('filter_criteria', 'text', (c) => c.notNull())
      .addColumn('rom_ids', 'text', (c) => c.notNull())
      .addColumn('rom_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('path_covers_small', 'text', (c) => c.notNull())
      .addColumn('path_covers_large', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('idx_smart_collections_user').on('smart_collections').columns(['user_id', 'name']).execute();
  },
};
